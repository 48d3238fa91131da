using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace XRay.Web;

/// <summary>
/// The image of a multipart/form-data request (field <see cref="FieldName"/>), read into memory with a byte limit.
/// Nothing is written to disk, and the client's file name serves only for its extension, never as a path.
/// </summary>
internal static class Upload
{
    public const string FieldName = "image";

    public static async Task<(byte[] Bytes, string Name)> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellation)
    {
        // A declared length over the limit is refused before a byte of the body is read.
        if (request.ContentLength > maxBytes) throw TooLarge(request.ContentLength.Value, maxBytes);
        // A body without a length (chunked) is cut off by the server at the same limit.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = maxBytes;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) ||
            !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            throw new ApiException(400, $"Send the image as multipart/form-data with a field named '{FieldName}' (curl -F {FieldName}=@xray.jpg), " +
                                        $"not {(string.IsNullOrEmpty(request.ContentType) ? "a body without a content type" : request.ContentType)}.");
        var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
        if (string.IsNullOrEmpty(boundary)) throw new ApiException(400, "The multipart/form-data content type has no boundary.");
        try
        {
            var reader = new MultipartReader(boundary, request.Body);
            while (await reader.ReadNextSectionAsync(cancellation) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) ||
                    !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase) ||
                    HeaderUtilities.RemoveQuotes(disposition.Name).Value != FieldName)
                    continue; // the reader skips the rest of this section
                var name = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                if (string.IsNullOrEmpty(name))
                    throw new ApiException(400, $"The field '{FieldName}' must be a file (with a file name such as xray.jpg), not a text value.");
                return (await ReadLimited(section.Body, maxBytes, cancellation), Path.GetFileName(name.Replace('\\', '/')));
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(null, maxBytes);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw new ApiException(400, $"The multipart body is malformed or cut short: {e.Message}");
        }
        throw new ApiException(400, $"The form has no file field named '{FieldName}' (curl -F {FieldName}=@xray.jpg).");
    }

    private static async Task<byte[]> ReadLimited(Stream body, long maxBytes, CancellationToken cancellation)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellation)) > 0)
        {
            if (buffer.Length + read > maxBytes) throw TooLarge(null, maxBytes);
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static ApiException TooLarge(long? length, long maxBytes) =>
        new(413, (length is { } n ? $"The upload is {Mb(n)}, " : "The upload is ") +
                 $"over the limit of {Mb(maxBytes)} (xray serve --max-upload-mb).");

    private static string Mb(long bytes) => $"{bytes / (1024.0 * 1024.0):0.#} MB";
}
