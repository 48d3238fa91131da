namespace XRay.Notebooks.Execution;

/// <summary>A compilation error, a thrown exception or a timeout; Line is 1-based within the cell when known.</summary>
public sealed record ErrorOutput(string Name, string Message, IReadOnlyList<string> Traceback, int? Line);
