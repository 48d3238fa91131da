namespace XRay.Imaging;

/// <summary>An image file that could not be used; the message names the file and the reason.</summary>
public sealed class ImageLoadException : Exception
{
    public ImageLoadException(string path, string reason, Exception? inner = null)
        : base($"{path}: {reason}", inner)
    {
        Path = path;
        Reason = reason;
    }

    public ImageLoadException(string path, ImageProblem problem) : this(path, problem.Reason)
    {
        OverPixelLimit = problem.OverPixelLimit;
    }

    public string Path { get; }

    public string Reason { get; }

    /// <summary>Its header claims more pixels than the limit (refused before decoding).</summary>
    public bool OverPixelLimit { get; }
}
