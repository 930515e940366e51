namespace ImageService.Protocol;

/// <summary>A successful answer: the body exactly as the service sent it, and the same body read into a record.</summary>
/// <typeparam name="T">The record the body is read into.</typeparam>
/// <param name="Value">The body, read with <see cref="ScpJson.Options"/>.</param>
/// <param name="Json">The body's text, unchanged, for callers that pass it on (for example <c>imagectl --output json</c>).</param>
public sealed record ScpResponse<T>(T Value, string Json);
