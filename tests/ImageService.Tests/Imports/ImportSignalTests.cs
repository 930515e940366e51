using ImageService.Api.Imports;
using Microsoft.Extensions.Time.Testing;

namespace ImageService.Tests.Imports;

public sealed class ImportSignalTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WaitAsync_PollIntervalPassesOnTheInjectedClock_Returns()
    {
        var time = new FakeTimeProvider();
        var signal = new ImportSignal(time);

        var waiting = signal.WaitAsync(TimeSpan.FromHours(1), Ct);
        time.Advance(TimeSpan.FromHours(1));

        // Bounded, so that a wait on the system clock (an hour) fails the test instead of hanging it.
        await waiting.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.True(waiting.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task WaitAsync_Rung_ReturnsBeforeThePollInterval()
    {
        var time = new FakeTimeProvider();
        var signal = new ImportSignal(time);

        signal.Ring();
        var waiting = signal.WaitAsync(TimeSpan.FromHours(1), Ct);

        await waiting.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.True(waiting.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task WaitAsync_StoppingWhileWaiting_Throws()
    {
        var signal = new ImportSignal(new FakeTimeProvider());
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var waiting = signal.WaitAsync(TimeSpan.FromHours(1), stopping.Token);
        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }
}
