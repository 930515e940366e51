using ImageService.Cli;

namespace ImageService.Tests.Cli;

// The progress bar is one line at any width from 40 columns up: rendered through a Spectre console
// of that width, it is never wrapped, and it drops the time left, then the rate, when it must.
public sealed class ProgressLineTests
{
    private const string Subject = "image 0193a5b2-1111-7222-8333-444455556666";

    private static readonly ProgressFrame Midway =
        new(Subject, new ProgressStep("importing", 900L << 20, 2L << 30), TimeSpan.FromSeconds(8));

    [Theory]
    [InlineData(40)]
    [InlineData(80)]
    [InlineData(200)]
    public void Format_AtWidth_IsOneLineThatSpectreDoesNotWrap(int width)
    {
        var line = ProgressLine.Format(Midway, width);

        Assert.InRange(line.Length, 1, width - 1);
        Assert.Equal(line, Rendered(line, width));
    }

    [Fact]
    public void Format_At200Columns_ShowsEverything()
    {
        var line = ProgressLine.Format(Midway, 200);

        Assert.Equal($"{Subject} importing [############----------------]  43% 0.9/2.0 GiB 112.5 MiB/s 0:10 left", line);
    }

    [Fact]
    public void Format_At80Columns_ShortensTheIdInItsMiddleAndKeepsTheRest()
    {
        var line = ProgressLine.Format(Midway, 80);

        Assert.Contains("…", line, StringComparison.Ordinal);
        Assert.EndsWith("6666 importing [###-----]  43% 0.9/2.0 GiB 112.5 MiB/s 0:10 left", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_At40Columns_DropsTimeLeftAndRateButKeepsTheAmounts()
    {
        var line = ProgressLine.Format(Midway, 40);

        Assert.DoesNotContain("left", line, StringComparison.Ordinal);
        Assert.DoesNotContain("/s", line, StringComparison.Ordinal);
        Assert.EndsWith("importing  43% 0.9/2.0 GiB", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_NarrowingFrom200To40_DropsTimeLeftBeforeRateAndRateBeforeAmounts()
    {
        for (var width = 200; width >= 40; width--)
        {
            var line = ProgressLine.Format(Midway, width);

            Assert.True(line.Length < width, $"{width}: {line}");
            Assert.True(!line.Contains("left", StringComparison.Ordinal) || line.Contains("/s", StringComparison.Ordinal), $"{width}: {line}");
            Assert.True(!line.Contains("/s", StringComparison.Ordinal) || line.Contains("GiB ", StringComparison.Ordinal), $"{width}: {line}");
            Assert.Contains("0.9/2.0 GiB", line, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(40)]
    [InlineData(80)]
    [InlineData(200)]
    public void Format_FirstFrame_ShowsNoBytesAndNoRate(int width)
    {
        var line = ProgressLine.Format(new ProgressFrame(Subject, new ProgressStep("queued", 0, null), TimeSpan.Zero), width);

        Assert.EndsWith("queued", line, StringComparison.Ordinal);
        Assert.DoesNotContain("B", line.Replace(Subject, "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("/s", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_SmallDownloadDoneInAMoment_ShowsTheSizeAndNoRate()
    {
        var line = ProgressLine.Format(new ProgressFrame("image img-1", new ProgressStep("downloading", 300_000, 300_000), TimeSpan.FromMilliseconds(200)), 80);

        Assert.Equal("image img-1 downloading [############################] 100% 293.0/293.0 KiB", line);
    }

    [Fact]
    public void Format_UnknownTotal_ShowsBytesSoFarWithoutABar()
    {
        var line = ProgressLine.Format(new ProgressFrame("image img-1", new ProgressStep("importing", 5L << 20, null), TimeSpan.FromSeconds(2)), 80);

        Assert.Equal("image img-1 importing 5.0 MiB 2.5 MiB/s", line);
    }

    private static string Rendered(string line, int width)
    {
        using var writer = new StringWriter();
        var console = Output.CreateConsole(writer, terminal: false, width);
        console.Write(new Spectre.Console.Text(line));
        return writer.ToString();
    }
}
