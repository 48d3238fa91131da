namespace XRay.Data;

/// <summary>Where the DataLoader keeps decoded, resized uint8 images.</summary>
public enum CacheMode
{
    /// <summary>Decode every file every epoch.</summary>
    None,

    /// <summary>Decode once per process; later epochs copy bytes.</summary>
    Memory,

    /// <summary>As Memory, and saved to disk, so the next run does not decode either.</summary>
    MemoryAndDisk,
}
