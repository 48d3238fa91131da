namespace XRay.Web;

/// <summary>A request the API refuses: the status code and the message sent back as {"error": ...}.</summary>
internal sealed class ApiException(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}
