using System.Net;
using System.Text.Json.Nodes;

namespace XRay.Web.Tests;

/// <summary>What every error body must be: an RFC 9457 problem with the old <c>error</c> member, and nothing internal.</summary>
internal static class Problems
{
    public static JsonObject AssertWellFormed(HttpStatusCode status, string text)
    {
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal((int)status, (int)problem["status"]!);
        Assert.False(string.IsNullOrWhiteSpace((string?)problem["type"]), text);
        Assert.False(string.IsNullOrWhiteSpace((string?)problem["title"]), text);
        var detail = (string)problem["detail"]!;
        Assert.False(string.IsNullOrWhiteSpace(detail), text);
        Assert.Equal(detail, (string)problem["error"]!); // the member the page and earlier clients read
        AssertNoInternals(text);
        return problem;
    }

    /// <summary>No exception type name, stack frame or server path.</summary>
    public static void AssertNoInternals(string text)
    {
        foreach (var leak in new[] { "Exception", "   at ", "System.", "TorchSharp", "XRay.Web.", "XRay.Models.", "XRay.Predictors.", ".cs:line", "/tmp/", "/work/", "/home/", "/root/",
                     TrainedCheckpoint.Instance.Root, Path.GetTempPath(), AppContext.BaseDirectory })
            Assert.DoesNotContain(leak, text, StringComparison.OrdinalIgnoreCase);
    }
}
