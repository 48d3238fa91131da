using System.Globalization;

namespace XRay.Bench;

/// <summary>
/// The memory of a process and all its descendants, from /proc. The PyTorch DataLoader works in forked worker
/// processes, so the main process's own peak (VmHWM) would leave them out; a sampled sum covers both sides alike.
/// RSS counts pages shared between the forks once per process; PSS splits them, so it is given too.
/// </summary>
internal static class ProcessTreeMemory
{
    public readonly record struct Sample(long RssKb, long PssKb);

    public static Sample Measure(int rootPid)
    {
        long rss = 0, pss = 0;
        foreach (var pid in Tree(rootPid))
        {
            rss += Field($"/proc/{pid}/status", "VmRSS:");
            pss += Field($"/proc/{pid}/smaps_rollup", "Pss:");
        }
        return new Sample(rss, pss);
    }

    /// <summary>
    /// Peak-of-sum over a process's life, sampled every <paramref name="periodMs"/> until <paramref name="stop"/>. The
    /// sampling runs on a thread of its own: on the thread pool (or a test runner's synchronization context) it waited
    /// behind blocked threads and could miss a short process entirely.
    /// </summary>
    public static Task<Sample> PeakAsync(int rootPid, int periodMs, CancellationToken stop) =>
        Task.Factory.StartNew(() =>
        {
            var peak = new Sample(0, 0);
            do
            {
                var s = Measure(rootPid);
                peak = new Sample(Math.Max(peak.RssKb, s.RssKb), Math.Max(peak.PssKb, s.PssKb));
            }
            while (!stop.WaitHandle.WaitOne(periodMs));
            return peak;
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>This process's minor page faults so far (/proc/self/stat's 10th field).</summary>
    public static long MinorPageFaults() => long.Parse(StatFields("/proc/self/stat")[7], CultureInfo.InvariantCulture);

    // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces, so the fields after the last ')' are returned.
    private static string[] StatFields(string file)
    {
        var stat = File.ReadAllText(file);
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    }

    private static List<int> Tree(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                parents[pid] = int.Parse(StatFields(Path.Combine(dir, "stat"))[1], CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* exited meanwhile */ }
        }
        var tree = new List<int> { root };
        for (var i = 0; i < tree.Count; i++)
            tree.AddRange(parents.Where(p => p.Value == tree[i]).Select(p => p.Key));
        return tree;
    }

    /// <summary>A "Key:   123 kB" line's number, or 0 when the process is gone.</summary>
    internal static long Field(string file, string key)
    {
        try
        {
            foreach (var line in File.ReadLines(file))
                if (line.StartsWith(key, StringComparison.Ordinal))
                    return long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return 0;
    }
}
