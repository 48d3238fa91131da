using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace XRay.Web;

/// <summary>
/// The image of a multipart/form-data request (field <see cref="FieldName"/>), read by ASP.NET's form reader within the
/// size limits <see cref="WebApp"/> sets (Kestrel's request body limit, <see cref="FormOptions"/>), in memory. Nothing is
/// written to disk, and the client's file name serves only for its extension, never as a path.
/// </summary>
internal sealed record Upload(byte[] Bytes, string Name)
{
    public const string FieldName = "image";

    public static async Task<Upload> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellation)
    {
        // A declared length over the limit is refused before a byte of the body is read; a body without one (chunked) is
        // cut off at the same limit by the server, which the form reader reports as a 413.
        if (request.ContentLength > maxBytes) throw TooLarge(request.ContentLength.Value, maxBytes);
        if (!request.HasFormContentType || !request.ContentType!.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            throw new ApiException(400, $"Send the image as multipart/form-data with a field named '{FieldName}' (curl -F {FieldName}=@xray.jpg), " +
                                        $"not {(string.IsNullOrEmpty(request.ContentType) ? "a body without a content type" : request.ContentType)}.");
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellation);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(null, maxBytes);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException)
        {
            // The reader's own message describes its parser, not the client's mistake: it goes to no one.
            throw new ApiException(400, "The multipart/form-data body is malformed or cut short.");
        }
        if (form.Files.GetFile(FieldName) is not { } file)
            throw new ApiException(400, form.ContainsKey(FieldName)
                ? $"The field '{FieldName}' must be a file (with a file name such as xray.jpg), not a text value."
                : $"The form has no file field named '{FieldName}' (curl -F {FieldName}=@xray.jpg).");
        var bytes = new byte[file.Length]; // at most maxBytes: the form reader stops at the limit
        await using (var stream = file.OpenReadStream())
            await stream.ReadExactlyAsync(bytes, cancellation);
        return new Upload(bytes, Path.GetFileName(file.FileName.Replace('\\', '/')));
    }

    private static ApiException TooLarge(long? length, long maxBytes) =>
        new(413, (length is { } n ? $"The upload is {Mb(n)}, " : "The upload is ") +
                 $"over the limit of {Mb(maxBytes)} (xray serve --max-upload-mb).");

    private static string Mb(long bytes) => $"{bytes / (1024.0 * 1024.0):0.#} MB";
}
