using ImageService.Api;
using ImageService.Api.Audit;
using ImageService.Api.Authentication;
using ImageService.Api.Data;
using ImageService.Api.Health;
using ImageService.Api.Hosting;
using ImageService.Api.ImageFiles;
using ImageService.Api.Images;
using ImageService.Api.Imports;
using ImageService.Api.Observability;
using ImageService.Api.PendingImages;
using ImageService.Api.Quotas;
using ImageService.Api.Sharing;
using ImageService.Api.Storage;
using ImageService.Api.Uploads;
using ImageService.Api.Versioning;
using ImageService.Api.WebConsole;
using ImageService.Api.Wire;
using ImageService.Protocol;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseServerLimits();
builder.WebHost.UseLargeReceiveBlocks();
var started = false;
if (ManagementCommands.IsCommand(args))
{
    // A command prints its answer on stdout; logs must not mix in.
    builder.Logging.ClearProviders();
}
else
{
    StartupFailures.QuietWhileStarting(builder.Logging, () => started);
}

builder.Services.ConfigureHttpJsonOptions(o => ScpJson.Configure(o.SerializerOptions));
builder.Services.TryAddSingleton(TimeProvider.System);
builder.Services.AddImageDatabase(builder.Configuration);
builder.Services.AddImageStorage(builder.Configuration);
builder.Services.AddImageImports(builder.Configuration);
builder.Services.AddScpAuthentication(builder.Configuration);
builder.Services.AddVersionLifecycle();
builder.Services.AddImageSharing();
builder.Services.AddAccountQuotas();
builder.Services.AddAuditTrail();
builder.Services.AddImageServiceHealth();
builder.Services.AddTrustedProxies();
builder.Services.AddOpenApi();
builder.Services.AddImageServiceObservability(builder.Configuration);
builder.Services.AddWebConsole();

var app = builder.Build();
if (ManagementCommands.IsCommand(args))
{
    return await ManagementCommands.RunAsync(app.Services, args);
}

app.UseRequestLimits();
app.UseTrustedProxies();
app.UseRequestLogging();
app.UseManagementPort();
app.UseScpErrorEnvelopes();
app.UseMiddleware<RawTargetMiddleware>();
app.UseWebConsole();
app.UseRouting();
app.UseVersioning();
app.UseAuthentication();
app.UseAuthorization();

app.MapVersionsDocument();
app.MapImageServiceHealth();
app.MapImageServiceMetrics();
app.MapOpenApi().AllowAnonymous();
app.MapImages();
app.MapImageImport();
app.MapImageFiles();
app.MapImageUploads();
app.MapSharing();
app.MapPendingImages();
app.MapAuditEvents();
app.MapQuota();
app.MapWebConsole();

app.Lifetime.ApplicationStarted.Register(() => started = true);
var urls = app.Configuration[WebHostDefaults.ServerUrlsKey];

// Only the service's own process answers a failed start with one line: a host that brings its own
// server (the tests' WebApplicationFactory) must see the exception itself.
var ownProcess = app.Services.GetService<IServer>()?.GetType().Assembly == typeof(KestrelServerOptions).Assembly;
try
{
    if (await app.Services.PrepareImageDatabaseAsync() is { } databaseProblem)
    {
        await Console.Error.WriteLineAsync(databaseProblem);
        return 1;
    }

    await app.RunAsync();
}
catch (Exception e) when (!started && ownProcess && StartupFailures.Describe(e, urls) is { } failure)
{
    await Console.Error.WriteLineAsync(failure);
    return 1;
}

return 0;
