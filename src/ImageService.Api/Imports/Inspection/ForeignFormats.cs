namespace ImageService.Api.Imports.Inspection;

// The disk formats other than qcow2 that a file is probed for; several can match one file.
[Flags]
internal enum ForeignFormats
{
    None = 0,
    Iso9660 = 1 << 0,
    Vmdk = 1 << 1,
    Vhd = 1 << 2,
    Vhdx = 1 << 3,
    Vdi = 1 << 4,
    Qed = 1 << 5,
    Luks = 1 << 6,
    Gpt = 1 << 7,
}
