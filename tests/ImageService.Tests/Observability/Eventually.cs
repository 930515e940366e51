using System.Diagnostics;

namespace ImageService.Tests.Observability;

public static class Eventually
{
    // Polls until the probe answers a value, and fails (saying what was awaited) at the deadline.
    public static async Task<T> Async<T>(Func<Task<T?>> probe, TimeSpan timeout, string because)
        where T : class
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            Assert.True(clock.Elapsed < timeout, $"Timed out after {timeout} waiting for {because}.");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }
}
