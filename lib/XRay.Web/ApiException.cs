namespace XRay.Web;

/// <summary>
/// A request the API refuses: the status code and a message written for the client (it becomes the problem's detail and
/// its <c>error</c> member), so it names the problem and never carries internals.
/// </summary>
internal sealed class ApiException(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}
