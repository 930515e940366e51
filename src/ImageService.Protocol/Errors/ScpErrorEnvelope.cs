namespace ImageService.Protocol.Errors;

/// <summary>The body of every error response: <c>{"errors":[…]}</c>.</summary>
/// <param name="Errors">One element per problem.</param>
public sealed record ScpErrorEnvelope(IReadOnlyList<ScpError> Errors);

/// <summary>One problem with a request.</summary>
/// <param name="Status">The HTTP status, as a number.</param>
/// <param name="Code">A stable snake_case code.</param>
/// <param name="Title">The status's reason phrase.</param>
/// <param name="Detail">A sentence for a person, saying what to change.</param>
public sealed record ScpError(int Status, string Code, string Title, string Detail);
