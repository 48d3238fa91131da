using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace XRay.Web;

/// <summary>One log line per request, after its answer: method, path, status and milliseconds (ASP.NET's own per-request lines are filtered out).</summary>
internal static partial class RequestLog
{
    /// <summary>The category the lines are logged under.</summary>
    public const string Category = "XRay.Web.Requests";

    public static Func<HttpContext, RequestDelegate, Task> Middleware(ILogger logger) => async (context, next) =>
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            Request(logger, context.Request.Method, context.Request.Path.Value ?? "/", context.Response.StatusCode,
                Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
    };

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Method} {Path} {StatusCode} {ElapsedMs:0.0} ms")]
    private static partial void Request(ILogger logger, string method, string path, int statusCode, double elapsedMs);
}
