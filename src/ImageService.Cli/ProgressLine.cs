using System.Globalization;

namespace ImageService.Cli;

// What the progress bar shows at one moment: the step, and how long the operation has run.
internal readonly record struct ProgressFrame(string Subject, ProgressStep Step, TimeSpan Elapsed);

// The progress bar as one line that never wraps, whatever the terminal's width from 40 columns
// up: "image 0193… importing [#####-----]  48% 0.9/2.0 GiB 112.4 MiB/s 0:10 left". When the
// line would not fit, the least important parts go first: the time left, then the rate, then the
// bar; the label is shortened last. Bytes and rate appear only once there are any, so the first
// frame never says "0/1 byte 0 bytes/s", and a download too quick to measure never says "?/s".
internal static class ProgressLine
{
    private const int MinLabel = 12;
    private const int MinBar = 10;
    private const int MaxBar = 30;

    // A rate over less time than this is noise.
    private static readonly TimeSpan MinRateTime = TimeSpan.FromSeconds(1);

    public static string Format(ProgressFrame frame, int width)
    {
        // A line that reaches the last column wraps in some terminals.
        var room = Math.Max(width - 1, MinLabel);
        var step = frame.Step;
        var total = step.BytesTotal is > 0 and var t ? t : (long?)null;
        var percent = total is { } all ? string.Create(CultureInfo.InvariantCulture, $"{Math.Min(100, step.BytesDone * 100 / all),3}%") : null;
        var bytes = total is { } whole ? Amounts(step.BytesDone, whole) : step.BytesDone > 0 ? Tables.Bytes(step.BytesDone) : null;
        var rate = Rate(frame);
        var left = rate is { } perSecond && total is { } size && step.BytesDone < size
            ? $"{Duration(TimeSpan.FromSeconds((size - step.BytesDone) / perSecond))} left"
            : null;

        // Everything, then without the time left, without the rate, without the bar, without the percentage.
        string?[][] levels =
        [
            [percent, bytes, RateText(rate), left],
            [percent, bytes, RateText(rate)],
            [percent, bytes],
            [percent, bytes],
            [bytes],
            [],
        ];
        for (var level = 0; level < levels.Length; level++)
        {
            var tail = string.Join(' ', levels[level].OfType<string>());
            var bar = total is not null && level < 3;
            var fixedWidth = (tail.Length > 0 ? tail.Length + 1 : 0) + (bar ? MinBar + 1 : 0);
            if (MinLabel + fixedWidth > room && level < levels.Length - 1)
            {
                continue;
            }

            var labelRoom = room - fixedWidth;
            var label = Label(frame.Subject, step.Stage, labelRoom);
            var barWidth = bar ? Math.Min(MaxBar, room - label.Length - (tail.Length > 0 ? tail.Length + 1 : 0) - 1) : 0;
            var parts = new[] { label, bar ? Bar(step.BytesDone, total!.Value, barWidth) : null, tail.Length > 0 ? tail : null };
            var line = string.Join(' ', parts.OfType<string>());
            return line.Length <= room ? line : line[..room];
        }

        return "";
    }

    private static double? Rate(ProgressFrame frame) =>
        frame.Step.BytesDone > 0 && frame.Elapsed >= MinRateTime ? frame.Step.BytesDone / frame.Elapsed.TotalSeconds : null;

    private static string? RateText(double? rate) => rate is { } perSecond ? $"{Tables.Bytes((long)perSecond)}/s" : null;

    // "0.9/2.0 GiB": one unit, the total's, for both numbers.
    private static string Amounts(long done, long total)
    {
        var (divisor, unit) = Tables.UnitOf(total);
        return divisor == 1
            ? string.Create(CultureInfo.InvariantCulture, $"{done}/{total} B")
            : string.Create(CultureInfo.InvariantCulture, $"{done / divisor:0.0}/{total / divisor:0.0} {unit}");
    }

    private static string Bar(long done, long total, int width)
    {
        var filled = (int)Math.Clamp(done * (width - 2) / total, 0, width - 2);
        return $"[{new string('#', filled)}{new string('-', width - 2 - filled)}]";
    }

    // "subject stage", with the subject shortened in its middle first, so that the stage and the
    // end of an id stay readable.
    private static string Label(string subject, string stage, int room)
    {
        var label = $"{subject} {stage}";
        if (label.Length <= room)
        {
            return label;
        }

        var subjectRoom = room - stage.Length - 1;
        if (subjectRoom >= 5)
        {
            var head = (subjectRoom - 1) / 2;
            var tail = subjectRoom - 1 - head;
            return $"{subject[..head]}…{subject[^tail..]} {stage}";
        }

        return label[..Math.Max(0, room - 1)] + "…";
    }

    private static string Duration(TimeSpan time) => time.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalHours}:{time.Minutes:00}:{time.Seconds:00}")
        : string.Create(CultureInfo.InvariantCulture, $"{time.Minutes}:{time.Seconds:00}");
}
