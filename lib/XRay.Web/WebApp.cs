using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace XRay.Web;

/// <summary>
/// The web app `xray serve` runs: one page (<c>/</c>, plain HTML and a little script, embedded in this assembly and
/// served by the static-files middleware) and its API: <c>POST /api/predict</c>, <c>POST /api/gradcam</c>,
/// <c>GET /api/model</c>, <c>GET /healthz</c>. Every error is an RFC 9457 problem (<c>application/problem+json</c>:
/// type, title, status, detail, and <c>error</c>, the detail again, for clients written before), and the server keeps
/// serving. It logs one line per request, and on SIGTERM or Ctrl+C lets the requests in flight finish.
/// </summary>
public static class WebApp
{
    /// <summary>Only the page's own script, styles and images (uploads shown as blob: URLs); nothing from elsewhere.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>The detail of a 500: what failed, never why (the exception is in the server's log).</summary>
    public const string InternalErrorDetail = "The server could not process this request; its log has the details.";

    /// <summary>
    /// A host serving <paramref name="pool"/> on <see cref="ServeOptions.Host"/>:<see cref="ServeOptions.Port"/>, logging to
    /// the console (tests swap the server for an in-memory one and the logger for their own). The caller owns the pool; the
    /// model is loaded before the host starts.
    /// </summary>
    public static IHostBuilder CreateHostBuilder(ServeOptions options, ClassifierPool pool) =>
        Host.CreateDefaultBuilder()
            .UseConsoleLifetime(o => o.SuppressStatusMessages = true) // Ctrl+C / SIGINT / SIGTERM stop it cleanly
            .ConfigureLogging(logging => logging
                .ClearProviders()
                .AddSimpleConsole(console =>
                {
                    console.SingleLine = true;
                    console.TimestampFormat = "HH:mm:ss ";
                })
                // RequestLog writes the one line per request; ASP.NET's own start/finish lines would double it.
                .AddFilter("Microsoft.AspNetCore", LogLevel.Warning))
            .ConfigureServices(services =>
            {
                // In-flight requests get this long to finish after SIGTERM before the server cuts them off.
                services.Configure<HostOptions>(o => o.ShutdownTimeout = options.ShutdownTimeout);
                services.Configure<FormOptions>(form =>
                {
                    form.MultipartBodyLengthLimit = options.MaxUploadBytes;
                    // The whole upload stays in memory (never a temporary file): it is at most the limit.
                    form.MemoryBufferThreshold = (int)Math.Min(options.MaxUploadBytes, int.MaxValue);
                });
            })
            .ConfigureWebHost(web => web
                .UseKestrel(kestrel =>
                {
                    kestrel.AddServerHeader = false;
                    kestrel.Limits.MaxRequestBodySize = options.MaxUploadBytes;
                    kestrel.Listen(Address(options.Host), options.Port);
                })
                .ConfigureServices(services =>
                {
                    services.AddSingleton(options);
                    services.AddSingleton(pool);
                    services.AddRouting();
                    services.AddProblemDetails(problems => problems.CustomizeProblemDetails = Customize);
                    services.AddExceptionHandler<RefusalHandler>();
                })
                .Configure(Configure));

    /// <summary>The URL a started host listens on (with the port the system picked for port 0).</summary>
    public static string Url(IHost host) =>
        host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
        ?? throw new InvalidOperationException("The web host has not started.");

    /// <summary>The address to bind: an IP, or "localhost" for the loopback.</summary>
    public static IPAddress Address(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
        : IPAddress.TryParse(host, out var ip) ? ip
        : throw new ArgumentException($"--host '{host}' is not an IP address (127.0.0.1 for this machine only, 0.0.0.0 for every interface).");

    private static void Configure(IApplicationBuilder app)
    {
        var loggers = app.ApplicationServices.GetRequiredService<ILoggerFactory>();
        app.Use(RequestLog.Middleware(loggers.CreateLogger(RequestLog.Category)));
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            await next(context);
        });
        app.UseExceptionHandler();
        app.UseStatusCodePages(); // 404 and 405 from routing get a problem body too (Customize names what was asked)
        // The page: index.html for "/", then app.js and app.css, from the assembly's embedded wwwroot/.
        var page = new ManifestEmbeddedFileProvider(typeof(WebApp).Assembly, "wwwroot");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = page });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = page });
        app.UseRouting();
        app.UseEndpoints(endpoints =>
        {
            endpoints.MapGet("/healthz", (ClassifierPool pool) => Results.Json(new JsonObject { ["status"] = "ok", ["model"] = pool.Info.Name }));
            endpoints.MapGet("/api/model", (ClassifierPool pool) => Results.Json(pool.Info));
            endpoints.MapPost("/api/predict", Predict);
            endpoints.MapPost("/api/gradcam", GradCam);
        });
        var lifetime = app.ApplicationServices.GetRequiredService<IHostApplicationLifetime>();
        var pool = app.ApplicationServices.GetRequiredService<ClassifierPool>();
        var log = loggers.CreateLogger(typeof(WebApp).FullName!);
        lifetime.ApplicationStarted.Register(() => log.LogInformation(
            "{Replicas} replica(s) x {Threads} libtorch thread(s) each on {Cores} core(s)", pool.Replicas, pool.ThreadsPerReplica, Environment.ProcessorCount));
    }

    private static async Task<IResult> Predict(HttpContext context, ClassifierPool pool, ServeOptions options)
    {
        var upload = await Upload.ReadAsync(context.Request, options.MaxUploadBytes, context.RequestAborted);
        var prediction = await pool.RunAsync(classifier => classifier.Predict(upload.Bytes, upload.Name), context.RequestAborted);
        var probabilities = new JsonObject();
        for (var i = 0; i < prediction.ClassNames.Count; i++) probabilities[prediction.ClassNames[i]] = prediction.Probabilities[i];
        return Results.Json(new JsonObject
        {
            ["class"] = prediction.ClassName,
            ["probabilities"] = probabilities,
            ["model"] = JsonSerializer.SerializeToNode(pool.Info),
        });
    }

    private static async Task<IResult> GradCam(HttpContext context, ClassifierPool pool, ServeOptions options)
    {
        var upload = await Upload.ReadAsync(context.Request, options.MaxUploadBytes, context.RequestAborted);
        var (png, className) = await pool.RunAsync(classifier =>
        {
            using var input = classifier.Input(upload.Bytes, upload.Name);
            var prediction = classifier.Predict(input); // the class /api/predict answers, through the same path
            return (classifier.GradCamPng(input, prediction.ClassIndex), prediction.ClassName);
        }, context.RequestAborted);
        context.Response.Headers["X-Class"] = className;
        return Results.File(png, "image/png");
    }

    /// <summary>
    /// Every problem gets a detail a person can act on, repeated as <c>error</c>; a 500 says only that the request failed,
    /// whatever the exception (it is logged, never sent).
    /// </summary>
    private static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var http = context.HttpContext;
        var status = problem.Status ?? http.Response.StatusCode;
        if (status >= 500) problem.Detail = InternalErrorDetail;
        problem.Detail ??= status switch
        {
            405 => $"{http.Request.Method} is not allowed on {http.Request.Path}; allowed: {http.Response.Headers.Allow}.",
            404 => $"Nothing at {http.Request.Path}.",
            _ => problem.Title,
        };
        problem.Extensions.Remove("exception"); // the developer exception page's member, should it ever be switched on
        problem.Extensions["error"] = problem.Detail;
    }
}
