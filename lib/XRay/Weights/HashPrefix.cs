using System.Security.Cryptography;

namespace XRay.Weights;

/// <summary>
/// torch hub's integrity convention: a file named NAME-HEX.ext was published with HEX as the first characters of its
/// SHA-256 (torch.hub.download_url_to_file checks it when check_hash=True; torchvision's files all follow it).
/// </summary>
public static class HashPrefix
{
    /// <summary>The lower-case hex after the last '-' and before the first '.' after it; null when there is none.</summary>
    public static string? FromFileName(string fileName)
    {
        var dash = fileName.LastIndexOf('-');
        if (dash < 0) return null;
        var dot = fileName.IndexOf('.', dash);
        var hex = dot < 0 ? fileName[(dash + 1)..] : fileName[(dash + 1)..dot];
        return hex.Length > 0 && hex.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f') ? hex : null;
    }

    /// <summary>The file's SHA-256 as lower-case hex.</summary>
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
