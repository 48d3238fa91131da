namespace XRay.TestSupport;

/// <summary>The checkout the tests run from, found by walking up to XRayNotebooks.sln.</summary>
public static class Repository
{
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "XRayNotebooks.sln"))) return dir.FullName;
        throw new InvalidOperationException("XRayNotebooks.sln not found above " + AppContext.BaseDirectory);
    }
}
