namespace XRay.Training;

/// <summary>Whether the monitored metric should fall or rise; Auto picks Max for accuracy-like names, Min otherwise.</summary>
public enum MonitorMode
{
    Auto,
    Min,
    Max,
}
