using ImageService.Api.Data;
using Npgsql;

namespace ImageService.Tests.Data;

// The service's two changes to Npgsql's defaults apply only where the operator's connection string
// is silent; whatever it says wins, in any of Npgsql's spellings.
public sealed class DatabaseOptionsTests
{
    private const string Server = "Host=db.internal;Port=5432;Database=images;Username=svc;Password=secret";

    [Fact]
    public void NpgsqlConnectionString_OperatorSilent_PreparesAndSkipsReset()
    {
        var tuned = new NpgsqlConnectionStringBuilder(Options(Server).NpgsqlConnectionString);

        Assert.Equal((64, true), (tuned.MaxAutoPrepare, tuned.NoResetOnClose));
        Assert.Equal(("db.internal", "images", "svc"), (tuned.Host, tuned.Database, tuned.Username));
    }

    [Theory]
    [InlineData("Max Auto Prepare=0;No Reset On Close=false")]
    [InlineData("maxautoprepare=0;noresetonclose=false")]
    [InlineData("MAX AUTO PREPARE = 0 ; No Reset On Close = False")]
    public void NpgsqlConnectionString_OperatorSetsThem_TheirValuesStay(string settings)
    {
        var tuned = new NpgsqlConnectionStringBuilder(Options($"Host=db.internal;{settings}").NpgsqlConnectionString);

        Assert.Equal((0, false), (tuned.MaxAutoPrepare, tuned.NoResetOnClose));
    }

    [Fact]
    public void NpgsqlConnectionString_QuotedPassword_SurvivesTheRewrite()
    {
        var tuned = new NpgsqlConnectionStringBuilder(Options("Host=h;Password='a;b=c'").NpgsqlConnectionString);

        Assert.Equal("a;b=c", tuned.Password);
    }

    private static DatabaseOptions Options(string connectionString) =>
        new() { Provider = DatabaseOptions.Postgres, PostgresConnectionString = connectionString };
}
