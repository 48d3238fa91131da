using System.Security.Cryptography;
using System.Text;

namespace XRay.IO;

/// <summary>
/// How the disk caches (decoded images, CNN features) recognise their files. A cache is named by what it is about (its
/// settings and the list of files and labels) and holds a fingerprint of the exact state it was built from (the same
/// plus each file's size and time, plus whatever else the caller puts in <c>state</c>): a changed folder is computed
/// again instead of served stale.
/// </summary>
public static class CacheFingerprint
{
    /// <summary>
    /// <paramref name="name"/> and <paramref name="state"/> hashed, each followed by every file's path and label; the
    /// state also by the file's size and last write time.
    /// </summary>
    public static (string NameHash, string StateHash) Of(string name, string state, IEnumerable<(string Path, int Label)> files)
    {
        var names = new StringBuilder(name);
        var states = new StringBuilder(state);
        foreach (var (path, label) in files)
        {
            names.Append('|').Append(path).Append(':').Append(label);
            var info = new FileInfo(path);
            states.Append('|').Append(path).Append(':').Append(label).Append(':')
                .Append(info.Exists ? info.Length : -1).Append(':').Append(info.Exists ? info.LastWriteTimeUtc.Ticks : 0);
        }
        return (Hash(names.ToString()), Hash(states.ToString()));
    }

    /// <summary>SHA-256 of the text's UTF-8 bytes, lower-case hex.</summary>
    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
