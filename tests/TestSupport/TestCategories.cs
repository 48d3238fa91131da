namespace XRay.TestSupport;

/// <summary>
/// The values of the "Category" trait, so a developer can pick a subset: <c>[Trait("Category", TestCategories.Parity)]</c>
/// on a test or its class, and <c>dotnet test --filter "Category!=Parity&amp;Category!=Slow"</c> (or <c>./build.sh test --fast</c>,
/// which leaves out <see cref="NotFast"/>). A test without the trait is a fast, self-contained one. <see cref="TraitAudit"/> fails a
/// test that uses a Python reference, a browser or Jupyter without saying so.
/// </summary>
public static class TestCategories
{
    /// <summary>The trait's name, as <c>--filter</c> spells it.</summary>
    public const string Name = "Category";

    /// <summary>Compares against Debian's /usr/bin/python3 references (torch, torchvision, cv2, sklearn, h5py).</summary>
    public const string Parity = "Parity";

    /// <summary>Drives Debian's Chromium through Playwright.</summary>
    public const string Browser = "Browser";

    /// <summary>Starts Debian's Jupyter (the classic Notebook or nbconvert).</summary>
    public const string Jupyter = "Jupyter";

    /// <summary>Needs a CUDA device.</summary>
    public const string Gpu = "Gpu";

    /// <summary>Takes long: notebook executions, multi-epoch trainings, thousands of steps or requests.</summary>
    public const string Slow = "Slow";

    /// <summary>Runs every notebook in the kernel VS Code starts (<c>dotnet-interactive stdio</c>); these tests are <see cref="Slow"/> too.</summary>
    public const string StdioKernel = "StdioKernel";

    /// <summary>Every category a test may carry.</summary>
    public static readonly IReadOnlyList<string> All = [Parity, Browser, Jupyter, Gpu, Slow, StdioKernel];

    /// <summary>What <c>./build.sh test --fast</c> leaves out (its FAST_FILTER; a test keeps the two in step).</summary>
    public static readonly IReadOnlyList<string> NotFast = [Parity, Browser, Jupyter, Gpu, Slow];
}
