using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;

namespace XRay.Kaggle;

/// <summary>
/// Streams a URL to a file the way the Kaggle CLI does: into <c>NAME.part</c>, renamed when complete; retried with
/// backoff and resumed with <c>Range</c> after a dropped connection; checked against Content-Length; skipped when the
/// file is already complete. Redirects are followed by hand so that Authorization goes to the first host only (signed
/// storage URLs must not receive it). Kaggle datasets and plain URLs (seed 001's Dropbox zip) share this path.
/// </summary>
public sealed class FileDownloader : IDisposable
{
    private const int MaxRedirects = 10;
    private readonly HttpClient http;
    private readonly DownloadOptions options;

    public FileDownloader(DownloadOptions? options = null, HttpMessageHandler? handler = null)
    {
        this.options = options ?? new DownloadOptions();
        http = new HttpClient(handler ?? new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None },
            disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("XRayNotebooks/1.0");
    }

    /// <summary>
    /// Downloads <paramref name="url"/> to <paramref name="destination"/>. <paramref name="describe"/> turns an HTTP error
    /// status into the message a person should read (e.g. Kaggle's 401 means a bad key); null uses a generic one.
    /// </summary>
    public async Task<DownloadResult> DownloadAsync(Uri url, string destination, AuthenticationHeaderValue? authorization = null,
        IProgress<DownloadProgress>? progress = null, Func<HttpStatusCode, string?>? describe = null, CancellationToken cancel = default)
    {
        var part = destination + ".part";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await AttemptAsync(url, destination, part, authorization, progress, describe, cancel).ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransient(e) && attempt < options.MaxRetries && !cancel.IsCancellationRequested)
            {
                var wait = options.Backoff(attempt + 1);
                Log($"download interrupted ({e.Message}); retry {attempt + 1} of {options.MaxRetries} in {wait.TotalSeconds:F0} s, resuming from {Length(part):N0} bytes");
                await options.Delay(wait, cancel).ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransient(e))
            {
                throw new DownloadException(
                    $"Downloading {url} failed after {options.MaxRetries + 1} attempts: {e.Message}. The {Length(part):N0} bytes received are kept " +
                    $"in {part}; run the same command again to resume.", e);
            }
        }
    }

    private async Task<DownloadResult> AttemptAsync(Uri url, string destination, string part, AuthenticationHeaderValue? authorization,
        IProgress<DownloadProgress>? progress, Func<HttpStatusCode, string?>? describe, CancellationToken cancel)
    {
        var have = File.Exists(destination) ? 0 : Length(part);
        using var response = await SendAsync(url, authorization, have, cancel).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // The part file is as long as (or longer than) the resource: start over rather than trust it.
            File.Delete(part);
            throw new IOException("the server refused to resume; starting over");
        }
        if (!response.IsSuccessStatusCode)
        {
            var message = describe?.Invoke(response.StatusCode)
                ?? $"{url} answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}.";
            if ((int)response.StatusCode >= 500) throw new HttpRequestException(message);
            throw new DownloadException(message);
        }

        var resumed = response.StatusCode == HttpStatusCode.PartialContent;
        if (resumed && response.Content.Headers.ContentRange?.From != have)
            throw new IOException($"the server resumed at byte {response.Content.Headers.ContentRange?.From} instead of {have}");
        if (!resumed) have = 0;
        long? total = resumed ? response.Content.Headers.ContentRange?.Length : response.Content.Headers.ContentLength;

        if (File.Exists(destination) && total is { } size && Length(destination) >= size && IsNotOlder(destination, response))
        {
            Log($"{destination} is already complete ({size:N0} bytes); skipping the download");
            return new DownloadResult(destination, true, size, 0, Array.Empty<string>());
        }

        await using (var body = await response.Content.ReadAsStreamAsync(cancel).ConfigureAwait(false))
        await using (var file = OpenPart(part, resumed))
        {
            var buffer = new byte[options.ChunkBytes];
            var clock = Stopwatch.StartNew();
            var sessionBytes = 0L;
            var lastReport = TimeSpan.Zero;
            while (true)
            {
                int read;
                using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel))
                {
                    timeout.CancelAfter(options.ReadTimeout);
                    try
                    {
                        read = await body.ReadAsync(buffer, timeout.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
                    {
                        throw new IOException($"no data for {options.ReadTimeout.TotalSeconds:F0} s");
                    }
                }
                if (read == 0) break;
                await WriteAsync(file, buffer.AsMemory(0, read), part, cancel).ConfigureAwait(false);
                have += read;
                sessionBytes += read;
                if (progress is not null && (clock.Elapsed - lastReport).TotalMilliseconds >= 250)
                {
                    lastReport = clock.Elapsed;
                    progress.Report(Progress(have, total, sessionBytes, clock.Elapsed));
                }
            }
            progress?.Report(Progress(have, total, sessionBytes, clock.Elapsed));
        }
        if (total is { } expected && have != expected)
            throw new IOException($"the connection closed after {have:N0} of {expected:N0} bytes");
        File.Move(part, destination, overwrite: true);
        if (response.Content.Headers.LastModified is { } modified) File.SetLastWriteTimeUtc(destination, modified.UtcDateTime);
        return new DownloadResult(destination, false, have, 0, Array.Empty<string>());
    }

    /// <summary>Follows redirects itself: Authorization only on the first request, Range on every hop.</summary>
    private async Task<HttpResponseMessage> SendAsync(Uri url, AuthenticationHeaderValue? authorization, long from, CancellationToken cancel)
    {
        var current = url;
        for (var hop = 0; hop <= MaxRedirects; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            if (hop == 0 && authorization is not null) request.Headers.Authorization = authorization;
            if (from > 0) request.Headers.Range = new RangeHeaderValue(from, null);
            var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            if (code is 301 or 302 or 303 or 307 or 308 && response.Headers.Location is { } location)
            {
                current = location.IsAbsoluteUri ? location : new Uri(current, location);
                response.Dispose();
                continue;
            }
            return response;
        }
        throw new DownloadException($"{url} redirected more than {MaxRedirects} times.");
    }

    private static FileStream OpenPart(string part, bool append)
    {
        try
        {
            return new FileStream(part, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new DownloadException($"Cannot write {part}: {e.Message}. Choose another --out folder.", e);
        }
    }

    private static async Task WriteAsync(FileStream file, ReadOnlyMemory<byte> data, string part, CancellationToken cancel)
    {
        try
        {
            await file.WriteAsync(data, cancel).ConfigureAwait(false);
        }
        catch (IOException e) when (IsDiskFull(e))
        {
            throw new DownloadException(
                $"The disk is full while writing {part}. Free some space (the Mooney set needs about 2.5 GB for the zip and as much " +
                "again unzipped) and run the same command again: the bytes already received are kept and the download resumes.", e);
        }
    }

    // ENOSPC on Linux (28), ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL on Windows.
    private static bool IsDiskFull(IOException e) =>
        e.HResult is 28 or unchecked((int)0x80070070) or unchecked((int)0x80070027) || e.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase);

    private bool IsTransient(Exception e) =>
        (e is HttpRequestException http && (options.RetryUnreachable || !IsUnreachable(http)))
        || (e is IOException io && !IsDiskFull(io)) || (e is TaskCanceledException && e.InnerException is TimeoutException);

    // No name resolution or no listener: offline, or a server that is down (a dropped transfer is an IOException).
    private static bool IsUnreachable(HttpRequestException e) =>
        e.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError;

    private static bool IsNotOlder(string path, HttpResponseMessage response) =>
        response.Content.Headers.LastModified is not { } modified || File.GetLastWriteTimeUtc(path) >= modified.UtcDateTime;

    private static DownloadProgress Progress(long have, long? total, long sessionBytes, TimeSpan elapsed)
    {
        var rate = elapsed.TotalSeconds > 0 ? sessionBytes / elapsed.TotalSeconds : 0;
        TimeSpan? eta = total is { } t && rate > 0 ? TimeSpan.FromSeconds((t - have) / rate) : null;
        return new DownloadProgress(have, total, rate, eta);
    }

    private static long Length(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    private void Log(string message) => (options.Log ?? DefaultLog(typeof(FileDownloader)))(message);

    /// <summary>Where download notes go when <see cref="DownloadOptions.Log"/> is not set: the library's logger.</summary>
    internal static Action<string> DefaultLog(Type category)
    {
        var logger = XRayLogging.For(category);
        return message => logger.LogInformation("{Message}", message);
    }

    public void Dispose() => http.Dispose();
}
