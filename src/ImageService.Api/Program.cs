using ImageService.Api;
using ImageService.Api.Authentication;
using ImageService.Api.Data;
using ImageService.Api.Health;
using ImageService.Api.ImageFiles;
using ImageService.Api.Images;
using ImageService.Api.Imports;
using ImageService.Api.PendingImages;
using ImageService.Api.Sharing;
using ImageService.Api.Storage;
using ImageService.Api.Versioning;
using ImageService.Api.WebConsole;
using ImageService.Api.Wire;
using ImageService.Protocol;
using Microsoft.Extensions.DependencyInjection.Extensions;

var builder = WebApplication.CreateBuilder(args);
if (ManagementCommands.IsCommand(args))
{
    // A command prints its answer on stdout; logs must not mix in.
    builder.Logging.ClearProviders();
}

builder.Services.ConfigureHttpJsonOptions(o => ScpJson.Configure(o.SerializerOptions));
builder.Services.TryAddSingleton(TimeProvider.System);
builder.Services.AddImageDatabase(builder.Configuration);
builder.Services.AddImageStorage(builder.Configuration);
builder.Services.AddImageImports(builder.Configuration);
builder.Services.AddScpAuthentication(builder.Configuration);
builder.Services.AddVersionLifecycle();
builder.Services.AddImageSharing();
builder.Services.AddImageServiceHealth();
builder.Services.AddTrustedProxies();
builder.Services.AddOpenApi();
builder.Services.AddWebConsole();

var app = builder.Build();
if (ManagementCommands.IsCommand(args))
{
    return await ManagementCommands.RunAsync(app.Services, args);
}

if (await app.Services.PrepareImageDatabaseAsync() is { } databaseProblem)
{
    await Console.Error.WriteLineAsync(databaseProblem);
    return 1;
}

app.UseTrustedProxies();
app.UseScpErrorEnvelopes();
app.UseMiddleware<RawTargetMiddleware>();
app.UseWebConsole();
app.UseRouting();
app.UseVersioning();
app.UseAuthentication();
app.UseAuthorization();

app.MapVersionsDocument();
app.MapImageServiceHealth();
app.MapOpenApi().AllowAnonymous();
app.MapImages();
app.MapImageImport();
app.MapImageFiles();
app.MapSharing();
app.MapPendingImages();
app.MapWebConsole();

await app.RunAsync();
return 0;
