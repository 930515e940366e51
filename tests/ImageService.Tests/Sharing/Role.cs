namespace ImageService.Tests.Sharing;

// Who acts on a shared image, as the permission table names them.
public enum Role
{
    Owner,
    PendingMember,
    AcceptedMember,
    RejectedMember,
    Stranger,
}
