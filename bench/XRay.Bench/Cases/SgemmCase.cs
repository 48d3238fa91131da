using System.Diagnostics;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace XRay.Bench.Cases;

/// <summary>The machine's float32 matrix-product rate through libtorch (OpenBLAS here): the ceiling a conv net's step is held against.</summary>
internal static class SgemmCase
{
    public static JsonObject Run(CaseArgs a)
    {
        set_num_threads(a.Int("threads"));
        var n = a.Int("n");
        using var scope = NewDisposeScope();
        var x = randn(n, n);
        var y = randn(n, n);
        for (var i = 0; i < 2; i++) x.mm(y).Dispose(); // warm-up: BLAS thread pool and buffers (mm: see environment.md on matmul)
        var rates = new List<double>();
        for (var i = 0; i < 7; i++)
        {
            var clock = Stopwatch.StartNew();
            x.mm(y).Dispose();
            rates.Add(2.0 * n * n * n / clock.Elapsed.TotalSeconds / 1e9);
        }
        return new JsonObject { ["n"] = n, ["threads"] = get_num_threads(), ["gflops"] = Timing.Median(rates),
            ["runs"] = new JsonArray(rates.Select(r => (JsonNode)r).ToArray()) };
    }
}
