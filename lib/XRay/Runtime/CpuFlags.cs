namespace XRay.Runtime;

/// <summary>The instruction-set flags the kernel lists for this CPU (/proc/cpuinfo's "flags" line; lscpu prints the same).</summary>
public sealed class CpuFlags
{
    private readonly HashSet<string> flags;

    public CpuFlags(IEnumerable<string> flags) => this.flags = new HashSet<string>(flags, StringComparer.Ordinal);

    /// <summary>This machine's flags; none where /proc/cpuinfo is missing (not Linux) or unreadable.</summary>
    public static CpuFlags Current { get; } = ReadCurrent();

    /// <summary>The flags of the first processor in a /proc/cpuinfo text (every core of a machine lists the same).</summary>
    public static CpuFlags Parse(string cpuinfo)
    {
        foreach (var line in cpuinfo.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0 || line[..colon].Trim() != "flags") continue;
            return new CpuFlags(line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
        return new CpuFlags(Array.Empty<string>());
    }

    public bool Has(string flag) => flags.Contains(flag);

    /// <summary>bf16 arithmetic in hardware: AVX-512 BF16 (Cooper Lake, Zen 4 and later) or AMX (Sapphire Rapids and later).</summary>
    public bool HasBf16 => Has("avx512_bf16") || Has("amx_bf16");

    /// <summary>The bf16-related flags present, for reports ("avx512_bf16 amx_bf16 amx_tile"), or "none".</summary>
    public string Bf16Summary
    {
        get
        {
            var present = new[] { "avx512f", "avx512_bf16", "amx_bf16", "amx_tile", "avx512_fp16" }.Where(Has).ToList();
            return present.Count == 0 ? "none" : string.Join(' ', present);
        }
    }

    private static CpuFlags ReadCurrent()
    {
        try
        {
            return File.Exists("/proc/cpuinfo") ? Parse(File.ReadAllText("/proc/cpuinfo")) : new CpuFlags(Array.Empty<string>());
        }
        catch (IOException)
        {
            return new CpuFlags(Array.Empty<string>());
        }
    }
}
