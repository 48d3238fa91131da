namespace XRay.TestSupport;

/// <summary>Linked into every test project: its tests carry the categories they need (<see cref="TestCategories"/>).</summary>
public class TraitAuditTests
{
    [Fact]
    public void Every_test_that_uses_a_python_reference_a_browser_or_jupyter_carries_its_category()
    {
        var missing = TraitAudit.Missing(typeof(TraitAuditTests).Assembly);
        Assert.True(missing.Count == 0, "Add the trait (tests/TestSupport/TestCategories.cs) to each of these:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void Every_category_is_one_of_the_known_ones()
    {
        var unknown = TraitAudit.UnknownCategories(typeof(TraitAuditTests).Assembly);
        Assert.True(unknown.Count == 0, string.Join("\n", unknown));
    }

    [Fact]
    public void Build_sh_test_fast_leaves_out_exactly_the_not_fast_categories()
    {
        var line = File.ReadLines(Path.Combine(Repository.Root(), "build.sh")).Single(l => l.StartsWith("FAST_FILTER=", StringComparison.Ordinal));
        Assert.Equal($"FAST_FILTER=\"{string.Join("&", TestCategories.NotFast.Select(c => $"{TestCategories.Name}!={c}"))}\"", line);
    }

    /// <summary>The audit follows a helper however it is reached: through a helper method, a lambda, an async method's state machine, an iterator.</summary>
    [Fact]
    public void The_audit_sees_a_helper_through_calls_lambdas_async_methods_and_iterators()
    {
        var rules = new TraitAudit.Rule[] { new(typeof(Planted).FullName!, nameof(Planted.Start), TestCategories.Browser) };
        foreach (var name in new[] { nameof(Planted.Direct), nameof(Planted.ThroughAHelper), nameof(Planted.InALambda), nameof(Planted.Async), nameof(Planted.Iterator) })
            Assert.True(TraitAudit.Reached(typeof(Planted).GetMethod(name)!, rules).ContainsKey(TestCategories.Browser), name);
        Assert.Empty(TraitAudit.Reached(typeof(Planted).GetMethod(nameof(Planted.Unrelated))!, rules));
    }

    private static class Planted
    {
        public static int Start() => 1;
        public static int Direct() => Start();
        public static int ThroughAHelper() => Helper();
        public static int InALambda() => new[] { 1 }.Sum(x => Start() + x);
        public static async Task<int> Async()
        {
            await Task.Yield();
            return Start();
        }
        public static IEnumerable<int> Iterator()
        {
            yield return Start();
        }
        public static int Unrelated() => new[] { 1 }.Sum(x => x + 1);
        private static int Helper() => Direct();
    }
}
