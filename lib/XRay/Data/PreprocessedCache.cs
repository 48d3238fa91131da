using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using XRay.IO;
using XRay.Imaging;

namespace XRay.Data;

/// <summary>
/// Every sample decoded and resized once, kept as uint8 CHW (224x224 gray: 49 KB an image, 5,856 images 294 MB,
/// against 3.5 GB for the blog's float32 arrays). Saved to disk keyed by folder, size and color mode; the file also
/// records each file's size and time, so a changed folder is decoded again instead of served stale.
/// </summary>
public sealed class PreprocessedCache
{
    private const string Magic = "XRCACHE1";

    // Chunks keep every array well under .NET's 2 GB array limit whatever the image size.
    private const int ChunkBytes = 256 << 20;

    private readonly byte[][] chunks;
    private readonly int perChunk;
    private readonly Dictionary<int, string> failures;

    private PreprocessedCache(int count, int sampleBytes, Dictionary<int, string> failures)
    {
        Count = count;
        SampleBytes = sampleBytes;
        this.failures = failures;
        perChunk = Math.Max(1, ChunkBytes / sampleBytes);
        var n = (count + perChunk - 1) / perChunk;
        chunks = new byte[n][];
        for (var c = 0; c < n; c++)
            chunks[c] = GC.AllocateUninitializedArray<byte>(Math.Min(perChunk, count - c * perChunk) * sampleBytes);
    }

    public int Count { get; }

    public int SampleBytes { get; }

    public long TotalBytes => (long)Count * SampleBytes;

    /// <summary>The cache file, when saved to or loaded from disk.</summary>
    public string? FilePath { get; private set; }

    /// <summary>True when this run read the pixels from disk and decoded nothing.</summary>
    public bool LoadedFromDisk { get; private set; }

    /// <summary>Samples that failed to decode (index → reason); their slots hold zeros and the loader leaves them out.</summary>
    public IReadOnlyDictionary<int, string> Failures => failures;

    public Span<byte> Slot(int index) =>
        chunks[index / perChunk].AsSpan(index % perChunk * SampleBytes, SampleBytes);

    /// <summary>
    /// Loads the cache from <paramref name="directory"/> when it matches the files, otherwise decodes every sample on
    /// <paramref name="workers"/> threads (and saves it there when a directory is given).
    /// </summary>
    public static PreprocessedCache Build(IReadOnlyList<ImageSample> samples, Preprocessing preprocessing, Interpolation interpolation,
        long maxPixels, int workers, string? directory, IProgress<int>? progress = null)
    {
        var sampleBytes = preprocessing.Channels * preprocessing.Height * preprocessing.Width;
        string? path = null, fingerprint = null;
        if (directory is not null)
        {
            (path, fingerprint) = Identify(samples, preprocessing, interpolation, directory);
            if (TryLoad(path, fingerprint, samples.Count, sampleBytes) is { } loaded) return loaded;
        }
        var cache = new PreprocessedCache(samples.Count, sampleBytes, new Dictionary<int, string>());
        var done = 0;
        Parallel.For(0, samples.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, workers) }, i =>
        {
            try
            {
                ImageLoader.ReadInto(samples[i].Path, preprocessing, cache.Slot(i), interpolation, maxPixels);
            }
            catch (ImageLoadException e)
            {
                cache.Slot(i).Clear();
                lock (cache.failures) cache.failures[i] = e.Reason;
            }
            var n = Interlocked.Increment(ref done);
            if (n % 256 == 0 || n == samples.Count) progress?.Report(n);
        });
        if (path is not null) cache.TrySave(path, fingerprint!);
        return cache;
    }

    /// <summary>The cache file's name says what it holds; the fingerprint inside says of which exact files.</summary>
    private static (string Path, string Fingerprint) Identify(IReadOnlyList<ImageSample> samples, Preprocessing p,
        Interpolation interpolation, string directory)
    {
        var folder = CommonFolder(samples.Select(s => s.Path).ToList());
        var settings = $"{p.Height}x{p.Width}-{(p.Color == ColorMode.Grayscale ? "gray" : "rgb")}-{interpolation.ToString().ToLowerInvariant()}";
        var (names, state) = CacheFingerprint.Of($"{folder}|{settings}", $"{folder}|{settings}", samples.Select(s => (s.Path, s.Label)));
        var name = $"{Sanitize(Path.GetFileName(folder.TrimEnd('/')))}-{settings}-{names[..16]}.xrcache";
        return (Path.Combine(directory, name), state);
    }

    private static PreprocessedCache? TryLoad(string path, string fingerprint, int count, int sampleBytes)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            using var reader = new BinaryReader(stream);
            if (Encoding.ASCII.GetString(reader.ReadBytes(Magic.Length)) != Magic) return null;
            var header = JsonSerializer.Deserialize<DiskHeader>(reader.ReadString());
            if (header is null || header.Fingerprint != fingerprint || header.Count != count || header.SampleBytes != sampleBytes) return null;
            if (stream.Length - stream.Position != (long)count * sampleBytes) return null; // truncated write: decode again
            var cache = new PreprocessedCache(count, sampleBytes, header.Failures.ToDictionary(kv => int.Parse(kv.Key), kv => kv.Value));
            foreach (var chunk in cache.chunks) stream.ReadExactly(chunk);
            cache.FilePath = path;
            cache.LoadedFromDisk = true;
            return cache;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or FormatException or EndOfStreamException)
        {
            return null; // an unreadable cache is only a slower start
        }
    }

    // Written whole or not at all, so a crash never leaves a half cache that looks whole.
    private void TrySave(string path, string fingerprint)
    {
        try
        {
            AtomicFile.Write(path, stream =>
            {
                using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
                writer.Write(Encoding.ASCII.GetBytes(Magic));
                var header = new DiskHeader(fingerprint, Count, SampleBytes, failures.ToDictionary(kv => kv.Key.ToString(), kv => kv.Value));
                writer.Write(JsonSerializer.Serialize(header));
                foreach (var chunk in chunks) writer.Write(chunk);
            });
            FilePath = path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A full or read-only disk costs only the next run's decode; say so once.
            XRayLogging.For(typeof(PreprocessedCache)).LogWarning(e, "Could not save the image cache to {Path}: {Reason}", path, e.Message);
        }
    }

    private static string CommonFolder(IReadOnlyList<string> paths)
    {
        if (paths.Count == 0) return "empty";
        var common = Path.GetDirectoryName(paths[0]) ?? "";
        foreach (var p in paths)
            while (common.Length > 0 && !p.StartsWith(common + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                common = Path.GetDirectoryName(common) ?? "";
        return common;
    }

    private static string Sanitize(string name) =>
        name.Length == 0 ? "root" : new string(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());

    private sealed record DiskHeader(string Fingerprint, int Count, int SampleBytes, Dictionary<string, string> Failures);

    /// <summary>$XRAY_CACHE_DIR, else $XDG_CACHE_HOME/xray, else ~/.cache/xray.</summary>
    public static string DefaultDirectory()
    {
        var explicitDir = Environment.GetEnvironmentVariable("XRAY_CACHE_DIR");
        if (!string.IsNullOrEmpty(explicitDir)) return explicitDir;
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var baseDir = !string.IsNullOrEmpty(xdg) ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(baseDir, "xray", "preprocessed");
    }
}
