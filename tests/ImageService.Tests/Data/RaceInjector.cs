using System.Data.Common;
using System.Text.RegularExpressions;
using ImageService.Api.Data;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace ImageService.Tests.Data;

// Makes a race a concurrent request wins only sometimes happen every time: once armed, it runs a
// change of its own (another request's delete), through the app's own services on a connection of
// its own, at the exact moment the request under test is about to run a matching statement or
// start a transaction. The database and the requests are real; only the timing is chosen.
public sealed class RaceInjector : IDbCommandInterceptor, IDbTransactionInterceptor
{
    private Armed? _armed;

    // Attaches to whichever provider the run uses.
    public static Action<IServiceCollection> Register(RaceInjector injector) => services =>
    {
        services.ConfigureDbContext<SqliteImageDbContext>(o => o.AddInterceptors(injector));
        services.ConfigureDbContext<PostgresImageDbContext>(o => o.AddInterceptors(injector));
    };

    // Before the next statement whose SQL matches, e.g. "^UPDATE \"?images\"?".
    public void BeforeStatement(string sqlPattern, Func<Task> race) => _armed = new Armed(new Regex(sqlPattern), race);

    // Before the next transaction starts.
    public void BeforeTransaction(Func<Task> race) => _armed = new Armed(null, race);

    public bool Fired { get; private set; }

    public async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await FireAsync(armed => armed.Sql?.IsMatch(command.CommandText) == true);
        return result;
    }

    public async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result,
        CancellationToken cancellationToken = default)
    {
        await FireAsync(armed => armed.Sql is null);
        return result;
    }

    // The app's own database, for the injected change: the same provider and settings.
    internal static async Task RunAsync(ImageServiceApp app, Func<ImageDbContext, Task> change)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await change(scope.ServiceProvider.GetRequiredService<ImageDbContext>());
    }

    private async Task FireAsync(Func<Armed, bool> matches)
    {
        if (_armed is { } armed && matches(armed) && Interlocked.CompareExchange(ref _armed, null, armed) == armed)
        {
            await armed.Race();
            Fired = true;
        }
    }

    private sealed record Armed(Regex? Sql, Func<Task> Race);
}
