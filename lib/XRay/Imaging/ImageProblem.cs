namespace XRay.Imaging;

/// <summary>
/// Why a file cannot be used, from <see cref="ImageFileCheck"/>. <see cref="OverPixelLimit"/> sets apart a header
/// that claims more pixels than the limit (a decompression bomb), which a server answers as "too large", not "bad".
/// </summary>
public sealed record ImageProblem(string Reason, bool OverPixelLimit = false)
{
    public override string ToString() => Reason;
}
