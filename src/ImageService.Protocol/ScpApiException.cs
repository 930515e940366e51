using System.Net;
using System.Text.Json;
using ImageService.Protocol.Errors;

namespace ImageService.Protocol;

/// <summary>The service answered with an error status; <see cref="Errors"/> holds its error envelope.</summary>
public sealed class ScpApiException : Exception
{
    /// <summary>An error with no answer behind it.</summary>
    public ScpApiException()
        : this("The service answered with an error.")
    {
    }

    /// <summary>An error with no answer behind it.</summary>
    public ScpApiException(string message)
        : base(message)
    {
        Body = "";
    }

    /// <summary>An error with no answer behind it, caused by another.</summary>
    public ScpApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Body = "";
    }

    /// <summary>An error answer.</summary>
    /// <param name="statusCode">The HTTP status.</param>
    /// <param name="errors">The envelope's elements; empty when the body was not an envelope.</param>
    /// <param name="body">The body's text, unchanged.</param>
    public ScpApiException(HttpStatusCode statusCode, IReadOnlyList<ScpError> errors, string body)
        : base(Describe(statusCode, errors))
    {
        StatusCode = statusCode;
        Errors = errors;
        Body = body;
    }

    /// <summary>The HTTP status of the answer.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The envelope's elements, in order; empty when the body was not an SCP error envelope (a proxy's page, say).</summary>
    public IReadOnlyList<ScpError> Errors { get; } = [];

    /// <summary>The body's text, unchanged.</summary>
    public string Body { get; }

    /// <summary>Reads an error answer's envelope; a body that is not one leaves <see cref="Errors"/> empty.</summary>
    public static ScpApiException FromResponse(HttpStatusCode statusCode, string body)
    {
        IReadOnlyList<ScpError> errors = [];
        try
        {
            errors = JsonSerializer.Deserialize<ScpErrorEnvelope>(body, ScpJson.Options)?.Errors ?? [];
        }
        catch (JsonException)
        {
            // Not an envelope: a gateway or proxy answered. The status still tells the kind.
        }

        return new ScpApiException(statusCode, errors.Where(e => e is not null).ToArray(), body);
    }

    private static string Describe(HttpStatusCode statusCode, IReadOnlyList<ScpError> errors) =>
        errors.Count > 0
            ? string.Join(" ", errors.Select(e => e.Detail))
            : $"The service answered {(int)statusCode} {statusCode} without an error envelope.";
}
