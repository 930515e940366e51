using System.Globalization;
using Spectre.Console;

namespace ImageService.Cli;

// One step of a long operation: a stage name (queued, importing, downloading…) and bytes.
internal readonly record struct ProgressStep(string Stage, long BytesDone, long? BytesTotal);

// Shows a long operation on stderr, so stdout keeps only the result: a live one-line bar (bytes,
// rate, time left; ProgressLine fits it to the terminal's width) when stderr is a terminal,
// otherwise a plain line whenever the stage changes or another tenth of the bytes is done.
internal static class ProgressDisplay
{
    // Downloads report every buffer; a person reads a few frames a second.
    private static readonly TimeSpan FrameInterval = TimeSpan.FromMilliseconds(100);

    public static Task<T> RunAsync<T>(CliContext context, string subject, Func<Action<ProgressStep>, Task<T>> work) =>
        context.ErrorIsTerminal ? WithBarAsync(context, subject, work) : WithLinesAsync(context, subject, work);

    private static async Task<T> WithBarAsync<T>(CliContext context, string subject, Func<Action<ProgressStep>, Task<T>> work)
    {
        var console = Output.CreateConsole(context.Error, terminal: true, context.ErrorWidth);
        var time = context.Time;
        var started = time.GetTimestamp();
        var last = new ProgressStep("starting", 0, null);
        long? lastFrame = null;
        Text Render() => new(ProgressLine.Format(new ProgressFrame(subject, last, time.GetElapsedTime(started)), console.Profile.Width));
        return await console.Live(Render()).AutoClear(false).StartAsync(async live =>
        {
            var result = await work(step =>
            {
                var stageChanged = step.Stage != last.Stage;
                last = step;
                if (stageChanged || lastFrame is null || time.GetElapsedTime(lastFrame.Value) >= FrameInterval)
                {
                    lastFrame = time.GetTimestamp();
                    live.UpdateTarget(Render());
                }
            });
            live.UpdateTarget(Render());
            return result;
        });
    }

    private static async Task<T> WithLinesAsync<T>(CliContext context, string subject, Func<Action<ProgressStep>, Task<T>> work)
    {
        string? lastStage = null;
        var lastTenth = -1L;
        return await work(step =>
        {
            var tenth = step.BytesTotal is > 0 and var total ? step.BytesDone * 10 / total : -1;
            if (step.Stage == lastStage && tenth == lastTenth)
            {
                return;
            }

            lastStage = step.Stage;
            lastTenth = tenth;
            context.Error.WriteLine($"{subject}: {step.Stage}{Bytes(step)}");
        });
    }

    private static string Bytes(ProgressStep step) => step switch
    {
        { BytesTotal: > 0 and var total } => string.Create(CultureInfo.InvariantCulture,
            $", {Tables.Bytes(step.BytesDone)} of {Tables.Bytes(total)} ({step.BytesDone * 100 / total}%)"),
        { BytesDone: > 0 } => $", {Tables.Bytes(step.BytesDone)}",
        _ => "",
    };
}
