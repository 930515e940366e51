namespace ImageService.Api.Authentication;

// The Data Protection key ring that encrypts access-key secrets at rest.
internal sealed class KeyRingOptions
{
    public const string Section = "DataProtection";

    // A PKCS#12 file whose certificate encrypts every key of the ring before it is stored. With
    // PostgreSQL the ring lives in the database beside the secrets it protects; with the certificate
    // kept elsewhere, a copy of the database alone still yields no usable key.
    public string? CertificatePath { get; set; }

    // The file's password: from the environment or user secrets only, never appsettings.
    public string? CertificatePassword { get; set; }
}
