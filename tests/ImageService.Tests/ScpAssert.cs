using System.Net;
using System.Text.Json;
using ImageService.Protocol;
using Microsoft.AspNetCore.WebUtilities;

namespace ImageService.Tests;

// Assertions on the wire shapes every test relies on.
public static class ScpAssert
{
    private static readonly string[] ErrorKeys = ["status", "code", "title", "detail"];

    // docs/errors.md: every non-2xx body is {"errors":[…]}, each element with status as a JSON number,
    // the reason phrase as title, a snake_case code and a detail for a person. Returns the codes.
    public static async Task<string[]> EnvelopeAsync(HttpResponseMessage response, HttpStatusCode status, params string[] codes)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.ReadObjectAsync();
        Assert.Equal(["errors"], body.Select(p => p.Key));
        var errors = body["errors"]!.AsArray();
        Assert.NotEmpty(errors);
        foreach (var error in errors.Select(e => e!.AsObject()))
        {
            Assert.Equal(ErrorKeys.Order(), error.Select(p => p.Key).Order());
            Assert.Equal(JsonValueKind.Number, error["status"]!.GetValueKind());
            Assert.Equal((int)status, error["status"]!.GetValue<int>());
            Assert.Equal(ReasonPhrases.GetReasonPhrase((int)status), error["title"]!.GetValue<string>());
            Assert.Matches("^[a-z][a-z0-9_]*$", error["code"]!.GetValue<string>());
            Assert.False(string.IsNullOrWhiteSpace(error["detail"]!.GetValue<string>()));
        }

        var actual = errors.Select(e => e!["code"]!.GetValue<string>()).ToArray();
        if (codes.Length > 0)
        {
            Assert.Equal(codes, actual);
        }

        return actual;
    }

    // docs/versions.md: every response says which version answered.
    public static void AnsweredBy(HttpResponseMessage response, string version)
    {
        Assert.True(response.Headers.TryGetValues(ScpHeaders.ApiVersion, out var values), $"{ScpHeaders.ApiVersion} is missing");
        Assert.Equal([$"{ScpHeaders.ServiceName} {version}"], values);
    }
}
