using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ImageService.Api.Imports;

// Claims import jobs from the database and runs them, at most MaxConcurrentImports at once on this
// node. Woken by the doorbell after a create or import, and by polling, which also finds jobs whose
// node died (their lease ran out) and jobs queued on other nodes.
internal sealed partial class ImportWorker(
    IServiceScopeFactory scopes,
    ImportRunner runner,
    ImportSweeper sweeper,
    ImportSignal signal,
    IOptionsMonitor<ImportOptions> options,
    TimeProvider time,
    ILogger<ImportWorker> logger) : BackgroundService
{
    // Leases name the node that holds them; a restarted process is a new node.
    public static string Node { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var running = new ConcurrentDictionary<long, Task>();
        using var slots = new SemaphoreSlim(options.CurrentValue.MaxConcurrentImports);
        var nextSweep = DateTimeOffset.MinValue;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (time.GetUtcNow() >= nextSweep)
                {
                    await SafelyAsync(() => sweeper.SweepAsync(stoppingToken));
                    nextSweep = time.GetUtcNow() + options.CurrentValue.SweepInterval;
                }

                await slots.WaitAsync(stoppingToken);
                var job = await SafelyAsync(() => ClaimAsync(stoppingToken));
                if (job is null)
                {
                    slots.Release();
                    await signal.WaitAsync(options.CurrentValue.PollInterval, stoppingToken);
                    continue;
                }

                running[job.Id] = RunAsync(job, slots, running, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await Task.WhenAll(running.Values);
    }

    private async Task<ImportJob?> ClaimAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ImportJobs>().TryClaimAsync(Node, ct);
    }

    private async Task RunAsync(ImportJob job, SemaphoreSlim slots, ConcurrentDictionary<long, Task> running, CancellationToken ct)
    {
        try
        {
            await Task.Yield();
            await runner.RunAsync(job, Node, ct);
        }
        finally
        {
            running.TryRemove(job.Id, out _);
            slots.Release();

            // A finished job frees a slot; a queued one may be waiting for it.
            signal.Ring();
        }
    }

    // A database outage must not end the worker: it logs, waits for the next poll, and tries again.
    private async Task<T?> SafelyAsync<T>(Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.PollFailed(logger, e);
            return default;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "The import worker could not reach the database; it will try again")]
        public static partial void PollFailed(ILogger logger, Exception exception);
    }
}
