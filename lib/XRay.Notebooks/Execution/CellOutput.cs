namespace XRay.Notebooks.Execution;

/// <summary>What a cell produced, in the order produced; maps one to one onto nbformat's output types.</summary>
public abstract record CellOutput;

/// <summary>Text written to stdout or stderr.</summary>
public sealed record StreamOutput(string Name, string Text) : CellOutput;

/// <summary>A value shown with display(); Data is replaced in place by DisplayHandle.Update.</summary>
public sealed record DisplayDataOutput(string DisplayId) : CellOutput
{
    /// <summary>MIME type → content (base64 for image/png).</summary>
    public IReadOnlyDictionary<string, string> Data { get; set; } = new Dictionary<string, string>();
}

/// <summary>The value of the cell's trailing expression.</summary>
public sealed record ExecuteResultOutput(IReadOnlyDictionary<string, string> Data) : CellOutput;

/// <summary>A compilation error, a thrown exception or a timeout; Line is 1-based within the cell when known.</summary>
public sealed record ErrorOutput(string Name, string Message, IReadOnlyList<string> Traceback, int? Line) : CellOutput;
