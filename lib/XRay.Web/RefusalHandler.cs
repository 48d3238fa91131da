using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using XRay.Imaging;

namespace XRay.Web;

/// <summary>
/// Turns the refusals a request can meet (<see cref="ApiException"/>, an unusable image) into RFC 9457 problems with
/// their 4xx status. Anything else is left to the exception handler middleware: a 500 problem whose detail says only
/// that the request failed, while the exception goes to the server's log.
/// </summary>
internal sealed class RefusalHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellation)
    {
        var (status, detail) = exception switch
        {
            ApiException e => (e.StatusCode, e.Message),
            // A header claiming more pixels than the loader's limit is "too large", refused before decoding. The path is
            // the upload's own file name (Upload keeps only its last segment), never a server path.
            ImageLoadException e => (e.OverPixelLimit ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest,
                $"'{e.Path}' is not a usable image: {e.Reason}."),
            _ => (0, ""),
        };
        if (status == 0) return false;
        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Detail = detail },
        });
    }
}
