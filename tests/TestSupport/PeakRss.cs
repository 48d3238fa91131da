namespace XRay.TestSupport;

/// <summary>This process's peak resident memory (Linux's VmHWM), for tests that prove something was never allocated.</summary>
internal static class PeakRss
{
    /// <summary>Resets the peak to the current RSS where the kernel allows it (clear_refs 5), and returns the peak then.</summary>
    public static long Reset()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // An older kernel or a locked-down /proc: the peak so far stands, which only makes the check weaker.
        }
        return Bytes();
    }

    /// <summary>VmHWM in bytes (0 where /proc is absent).</summary>
    public static long Bytes()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return 0;
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }
}
