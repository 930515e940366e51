using System.Globalization;
using Spectre.Console;

namespace ImageService.Cli;

// One step of a long operation: a stage name (queued, importing, downloading…) and bytes.
internal readonly record struct ProgressStep(string Stage, long BytesDone, long? BytesTotal);

// Shows a long operation on stderr, so stdout keeps only the result: a live bar (bytes, rate, time
// left) when stderr is a terminal, otherwise a plain line whenever the stage changes or another
// tenth of the bytes is done.
internal static class ProgressDisplay
{
    public static Task<T> RunAsync<T>(CliContext context, string subject, Func<Action<ProgressStep>, Task<T>> work) =>
        context.ErrorIsTerminal ? WithBarAsync(context, subject, work) : WithLinesAsync(context, subject, work);

    private static async Task<T> WithBarAsync<T>(CliContext context, string subject, Func<Action<ProgressStep>, Task<T>> work)
    {
        var console = Output.CreateConsole(context.Error, terminal: true);
        var progress = new Progress(console, context.Time)
            .Columns(
                new TaskDescriptionColumn(),
                new ProgressBarColumn(),
                new PercentageColumn(),
                new DownloadedColumn(),
                new TransferSpeedColumn(),
                new RemainingTimeColumn(),
                new SpinnerColumn());
        return await progress.StartAsync(async ctx =>
        {
            var task = ctx.AddTask(Markup.Escape(subject), autoStart: true, maxValue: 1);
            task.IsIndeterminate = true;
            var result = await work(step =>
            {
                task.Description = Markup.Escape($"{subject} {step.Stage}");
                task.IsIndeterminate = step.BytesTotal is null;
                task.MaxValue = Math.Max(1, step.BytesTotal ?? step.BytesDone);
                task.Value = step.BytesDone;
            });
            task.Value = task.MaxValue;
            task.StopTask();
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
