using ImageService.Protocol.Sharing;

namespace ImageService.Protocol;

public sealed partial class ImageServiceClient
{
    /// <summary>listImageMembers: the accounts an image is shared with.</summary>
    /// <param name="imageId">The image id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<ScpResponse<ImageMemberListResponse>> ListImageMembersAsync(string imageId, CancellationToken cancellationToken = default) =>
        SendAsync<ImageMemberListResponse>(Request(HttpMethod.Get, Members(imageId)), cancellationToken);

    /// <summary>createImageMember: shares an image with an account, whose membership starts pending.</summary>
    /// <param name="imageId">The image id.</param>
    /// <param name="memberId">The account to share with.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<ScpResponse<ImageMemberShowResponse>> CreateImageMemberAsync(string imageId, string memberId, CancellationToken cancellationToken = default) =>
        SendAsync<ImageMemberShowResponse>(Request(HttpMethod.Post, Members(imageId), new ImageMemberCreateRequest(memberId)), cancellationToken);

    /// <summary>showImageMember: one account's membership of an image.</summary>
    /// <param name="imageId">The image id.</param>
    /// <param name="memberId">The member account.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<ScpResponse<ImageMemberShowResponse>> ShowImageMemberAsync(string imageId, string memberId, CancellationToken cancellationToken = default) =>
        SendAsync<ImageMemberShowResponse>(Request(HttpMethod.Get, Member(imageId, memberId)), cancellationToken);

    /// <summary>updateImageMember: the member account accepts, rejects or resets (pending) a share.</summary>
    /// <param name="imageId">The image id.</param>
    /// <param name="memberId">The member account: the caller's own.</param>
    /// <param name="status">accepted, rejected or pending.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<ScpResponse<ImageMemberShowResponse>> UpdateImageMemberAsync(
        string imageId, string memberId, string status, CancellationToken cancellationToken = default) =>
        SendAsync<ImageMemberShowResponse>(Request(HttpMethod.Put, Member(imageId, memberId), new ImageMemberSetRequest(status)), cancellationToken);

    /// <summary>deleteImageMember: stops sharing an image with an account.</summary>
    /// <param name="imageId">The image id.</param>
    /// <param name="memberId">The member account.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task DeleteImageMemberAsync(string imageId, string memberId, CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Delete, Member(imageId, memberId)), cancellationToken);

    /// <summary>createSharingImage: asks the service to share an image; it answers 202 and works in the background.</summary>
    /// <param name="imageId">The image id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task CreateSharingImageAsync(string imageId, CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Post, $"v1/images/{Segment(imageId)}/share"), cancellationToken);

    private static string Members(string imageId) => $"v1/images/{Segment(imageId)}/members";

    private static string Member(string imageId, string memberId) => $"{Members(imageId)}/{Segment(memberId)}";
}
