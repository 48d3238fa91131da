using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using XRay.Data;
using XRay.IO;

namespace XRay.Features;

/// <summary>
/// Features of an image folder, kept on disk so a second run costs nothing. One file per extractor architecture,
/// pooling and list of files; inside it a fingerprint of the extractor's weights, the preprocessing and each file's
/// size and time. When any of those changes, the file is thrown away: the images run through the model again and the
/// file is overwritten.
/// </summary>
public static class FeatureCache
{
    private const string Magic = "XRFEAT01";

    /// <summary>$XRAY_CACHE_DIR/features, else $XDG_CACHE_HOME/xray/features, else ~/.cache/xray/features.</summary>
    public static string DefaultDirectory()
    {
        var explicitDir = Environment.GetEnvironmentVariable("XRAY_CACHE_DIR");
        return !string.IsNullOrEmpty(explicitDir)
            ? Path.Combine(explicitDir, "features")
            : Path.Combine(Path.GetDirectoryName(PreprocessedCache.DefaultDirectory())!, "features");
    }

    /// <summary>
    /// The features of every usable image of <paramref name="folder"/>, from <paramref name="directory"/> when they are
    /// there and current, else computed through a <see cref="DataLoader"/> with the extractor's preprocessing (in file
    /// order, without augmentation) and saved there. A null directory always computes and saves nothing.
    /// </summary>
    public static FeatureSet Extract(FeatureExtractor extractor, ImageFolder folder, string? directory, DataLoaderOptions? options = null)
    {
        var loaderOptions = (options ?? new DataLoaderOptions()) with { Shuffle = false, Transform = null, Balanced = false, DropLast = false };
        if (directory is null) return extractor.Extract(DataLoader.FromImageFolder(folder, extractor.Preprocessing, loaderOptions));
        var (name, fingerprint) = Identify(extractor, folder, loaderOptions);
        var path = Path.Combine(directory, name);
        if (TryLoad(path, fingerprint) is { } cached) return cached;
        var set = extractor.Extract(DataLoader.FromImageFolder(folder, extractor.Preprocessing, loaderOptions));
        Save(path, fingerprint, set);
        return set with { FilePath = path };
    }

    /// <summary>The file's name says which extractor and files; the fingerprint inside says which weights, preprocessing and file versions.</summary>
    private static (string Name, string Fingerprint) Identify(FeatureExtractor extractor, ImageFolder folder, DataLoaderOptions options)
    {
        var arch = extractor.Model.Spec.Arch;
        var (names, state) = CacheFingerprint.Of($"{arch}|{extractor.Pooling}|{folder.Root}",
            $"{extractor.Fingerprint}|{options.Interpolation}|{options.MaxPixels}|{string.Join(",", folder.ClassNames)}",
            folder.Samples.Select(s => (s.Path, s.Label)));
        return ($"{arch}-{extractor.Pooling.ToString().ToLowerInvariant()}-{names[..16]}.xrfeat", state);
    }

    private static FeatureSet? TryLoad(string path, string fingerprint)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new BinaryReader(stream);
            if (Encoding.ASCII.GetString(reader.ReadBytes(Magic.Length)) != Magic) return null;
            var header = JsonSerializer.Deserialize<Header>(reader.ReadString());
            if (header is null || header.Fingerprint != fingerprint) return null;
            if (stream.Length - stream.Position != (long)header.Labels.Length * header.Dimension * sizeof(float)) return null;
            var rows = new float[header.Labels.Length][];
            for (var i = 0; i < rows.Length; i++)
            {
                rows[i] = new float[header.Dimension];
                stream.ReadExactly(MemoryMarshal.AsBytes(rows[i].AsSpan()));
            }
            return new FeatureSet(header.ClassNames, header.Paths, header.Labels, rows) { FilePath = path, LoadedFromDisk = true };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or EndOfStreamException)
        {
            return null; // an unreadable cache only costs one extraction
        }
    }

    private static void Save(string path, string fingerprint, FeatureSet set)
    {
        try
        {
            AtomicFile.Write(path, stream =>
            {
                using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
                writer.Write(Encoding.ASCII.GetBytes(Magic));
                writer.Write(JsonSerializer.Serialize(new Header(fingerprint, set.ClassNames.ToArray(), set.Paths, set.Labels, set.Dimension)));
                foreach (var row in set.Rows) writer.Write(MemoryMarshal.AsBytes(row.AsSpan()));
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            XRayLogging.For(typeof(FeatureCache)).LogWarning(e, "Could not save the feature cache to {Path}: {Reason}", path, e.Message);
        }
    }

    private sealed record Header(string Fingerprint, string[] ClassNames, string[] Paths, int[] Labels, int Dimension);
}
