namespace XRay.Kaggle;

/// <summary>A download that cannot go on; the message says what happened and what to do.</summary>
public sealed class DownloadException : Exception
{
    public DownloadException(string message, Exception? inner = null) : base(message, inner) { }
}
