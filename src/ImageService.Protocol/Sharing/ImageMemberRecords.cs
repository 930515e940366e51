using System.Text.Json.Serialization;

namespace ImageService.Protocol.Sharing;

/// <summary>The body of createImageMember (schema <c>ImageMemberCreateRequest</c>, no other fields allowed).</summary>
/// <param name="MemberId">The account to share with.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ImageMemberCreateRequest(string? MemberId);

/// <summary>The body of updateImageMember (schema <c>ImageMemberSetRequest</c>).</summary>
/// <param name="Status">pending, accepted or rejected.</param>
public sealed record ImageMemberSetRequest(string? Status);

/// <summary>A member of an image (schema <c>ImageMemberShowResponse</c>).</summary>
/// <param name="CreatedAt">RFC 3339 UTC timestamp.</param>
/// <param name="ImageId">The image.</param>
/// <param name="MemberId">The member account.</param>
/// <param name="Status">pending, accepted or rejected.</param>
/// <param name="UpdatedAt">RFC 3339 UTC timestamp.</param>
public sealed record ImageMemberShowResponse(string CreatedAt, string ImageId, string MemberId, string Status, string UpdatedAt);

/// <summary>The members of an image (schema <c>ImageMemberListResponse</c>).</summary>
/// <param name="Members">The members.</param>
public sealed record ImageMemberListResponse(IReadOnlyList<ImageMemberShowResponse> Members);
