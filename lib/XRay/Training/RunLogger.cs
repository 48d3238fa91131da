namespace XRay.Training;

/// <summary>
/// Records the fit in a <see cref="RunLog"/> (runs.sqlite): a row when it starts ("running"), every epoch's logs, and
/// at the end its status: "completed", "stopped: why" or "failed: exception". Fit adds it first, so a fit that fails
/// in another callback's start is recorded too.
/// </summary>
public sealed class RunLogger(string path, string? checkpointPath = null) : Callback
{
    private RunLog? log;
    private long runId;

    public string Path { get; } = path;

    /// <summary>The run's id in the log, once the fit started.</summary>
    public long RunId => runId;

    public override void OnFitStart(TrainingContext context)
    {
        log = RunLog.Open(Path);
        runId = log.StartRun(context, checkpointPath);
    }

    public override void OnEpochEnd(TrainingContext context, int epoch, EpochRecord logs) => log?.LogEpoch(runId, logs);

    public override void OnFitEnd(TrainingContext context) =>
        Finish(context, context.StopReason is null ? "completed" : "stopped: " + context.StopReason);

    public override void OnException(TrainingContext context, Exception exception) =>
        Finish(context, $"failed: {exception.GetType().Name}: {exception.Message}");

    private void Finish(TrainingContext context, string status)
    {
        if (log is null) return;
        try
        {
            log.FinishRun(runId, context.History, context.Elapsed.TotalSeconds, status);
        }
        finally
        {
            log.Dispose();
            log = null;
        }
    }
}
