using System.Diagnostics;
using System.Text.Json.Nodes;
using XRay.Imaging;

namespace XRay.Bench.Cases;

/// <summary>
/// Decode + resize a folder of JPEGs to size x size, gray and RGB, the way our cache and uncached loader do it:
/// Cv.ImDecodeResize straight into each image's planar slot, one image per worker thread. The file bytes are read
/// first, so disk speed is not measured (the Python side does the same).
/// </summary>
internal static class DecodeCase
{
    public static JsonObject Run(CaseArgs a)
    {
        var size = a.Int("size");
        var threads = a.Int("threads");
        var repeats = a.Int("repeats");
        // One image per thread, as OpenCV-Python runs here too: OpenCV's inner pool would only add contention.
        Cv.SetNumThreads(1);
        var blobs = ReferenceFiles.Images(a.Text("dir")).Select(File.ReadAllBytes).ToArray();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads };
        var result = new JsonObject { ["images"] = blobs.Length, ["threads"] = threads };
        foreach (var (name, channels) in new[] { ("gray", 1), ("rgb", 3) })
        {
            var bytes = channels * size * size;
            var output = new byte[blobs.Length * bytes];
            void Pass(int count) => Parallel.For(0, count, parallel, i =>
                Cv.ImDecodeResize(blobs[i], output.AsSpan(i * bytes, bytes), size, size, channels, Interpolation.Auto, planar: true));
            Pass(Math.Max(1, blobs.Length / 4)); // warm-up
            var rates = new List<double>();
            for (var r = 0; r < repeats; r++)
            {
                var clock = Stopwatch.StartNew();
                Pass(blobs.Length);
                rates.Add(blobs.Length / clock.Elapsed.TotalSeconds);
            }
            result[name] = Timing.Rates(rates);
        }
        return result;
    }
}
