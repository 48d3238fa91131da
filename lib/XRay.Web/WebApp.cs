using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using XRay.Imaging;

namespace XRay.Web;

/// <summary>
/// The web app `xray serve` runs: one page (<c>/</c>, plain HTML and a little script, all served from this assembly)
/// and its API: <c>POST /api/predict</c>, <c>POST /api/gradcam</c>, <c>GET /api/model</c>, <c>GET /healthz</c>. Bad
/// input gets a 4xx {"error": ...} and the server keeps serving.
/// </summary>
public sealed class WebApp
{
    /// <summary>Only the page's own script, styles and images (uploads shown as blob: URLs); nothing from elsewhere.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly Dictionary<string, (string Type, byte[] Body)> Assets = new()
    {
        ["/"] = ("text/html; charset=utf-8", Resource("index.html")),
        ["/app.js"] = ("text/javascript; charset=utf-8", Resource("app.js")),
        ["/app.css"] = ("text/css; charset=utf-8", Resource("app.css")),
    };

    private WebApp() { }

    /// <summary>
    /// A host serving <paramref name="pool"/> on <see cref="ServeOptions.Host"/>:<see cref="ServeOptions.Port"/>
    /// (tests swap the server for an in-memory one). The caller owns the pool; the model is loaded before the host starts.
    /// </summary>
    public static IHostBuilder CreateHostBuilder(ServeOptions options, ClassifierPool pool) =>
        new HostBuilder()
            .UseConsoleLifetime(o => o.SuppressStatusMessages = true) // Ctrl+C / SIGINT / SIGTERM stop it cleanly
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
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            await next(context);
        });
        // 404 and 405 come from routing without a body; give them the API's JSON error.
        app.UseStatusCodePages(async status =>
        {
            var response = status.HttpContext.Response;
            var message = response.StatusCode switch
            {
                405 => $"{status.HttpContext.Request.Method} is not allowed on {status.HttpContext.Request.Path}; allowed: {response.Headers.Allow}.",
                404 => $"Nothing at {status.HttpContext.Request.Path}.",
                var code => ReasonPhrases.GetReasonPhrase(code),
            };
            await WriteError(response, response.StatusCode, message);
        });
        app.UseRouting();
        app.UseEndpoints(endpoints =>
        {
            foreach (var (path, asset) in Assets)
                endpoints.MapGet(path, context =>
                {
                    context.Response.ContentType = asset.Type;
                    return context.Response.Body.WriteAsync(asset.Body).AsTask();
                });
            endpoints.MapGet("/healthz", context => Json(context, 200, new JsonObject { ["status"] = "ok", ["model"] = Pool(context).Info.Name }));
            endpoints.MapGet("/api/model", context => Json(context, 200, JsonSerializer.SerializeToNode(Pool(context).Info)));
            endpoints.MapPost("/api/predict", context => Guarded(context, Predict));
            endpoints.MapPost("/api/gradcam", context => Guarded(context, GradCam));
        });
    }

    private static async Task Predict(HttpContext context, byte[] image, string name)
    {
        var pool = Pool(context);
        var prediction = await pool.RunAsync(classifier =>
        {
            using var scope = TorchSharp.torch.NewDisposeScope(); // whatever a request makes natively goes with it
            using var input = classifier.Input(image, name);
            return classifier.Predict(input);
        }, context.RequestAborted);
        var probabilities = new JsonObject();
        for (var i = 0; i < prediction.ClassNames.Count; i++) probabilities[prediction.ClassNames[i]] = prediction.Probabilities[i];
        await Json(context, 200, new JsonObject
        {
            ["class"] = prediction.ClassName,
            ["probabilities"] = probabilities,
            ["model"] = JsonSerializer.SerializeToNode(pool.Info),
        });
    }

    private static async Task GradCam(HttpContext context, byte[] image, string name)
    {
        var (png, className) = await Pool(context).RunAsync(classifier =>
        {
            using var scope = TorchSharp.torch.NewDisposeScope();
            using var input = classifier.Input(image, name);
            var prediction = classifier.Predict(input); // the class /api/predict answers, through the same path
            return (classifier.GradCamPng(input, prediction.ClassIndex), prediction.ClassName);
        }, context.RequestAborted);
        context.Response.ContentType = "image/png";
        context.Response.Headers["X-Class"] = className;
        await context.Response.Body.WriteAsync(png);
    }

    /// <summary>Reads the upload, runs the handler, and turns every refusal into a JSON error; an unexpected failure is a 500, and the server goes on.</summary>
    private static async Task Guarded(HttpContext context, Func<HttpContext, byte[], string, Task> handler)
    {
        try
        {
            var options = context.RequestServices.GetRequiredService<ServeOptions>();
            var (image, name) = await Upload.ReadAsync(context.Request, options.MaxUploadBytes, context.RequestAborted);
            await handler(context, image, name);
        }
        catch (ApiException e)
        {
            await WriteError(context.Response, e.StatusCode, e.Message);
        }
        catch (ImageLoadException e)
        {
            // A header claiming more pixels than the loader's limit is "too large", refused before decoding.
            await WriteError(context.Response, e.OverPixelLimit ? 413 : 400, $"'{e.Path}' is not a usable image: {e.Reason}.");
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.Runtime.InteropServices.ExternalException)
        {
            await WriteError(context.Response, 500, $"The model could not process this image: {e.Message}");
        }
    }

    private static ClassifierPool Pool(HttpContext context) => context.RequestServices.GetRequiredService<ClassifierPool>();

    private static Task WriteError(HttpResponse response, int status, string message) =>
        response.HasStarted ? Task.CompletedTask : Json(response.HttpContext, status, new JsonObject { ["error"] = message });

    private static async Task Json(HttpContext context, int status, JsonNode? body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body?.ToJsonString() ?? "null");
    }

    private static byte[] Resource(string name)
    {
        using var stream = typeof(WebApp).Assembly.GetManifestResourceStream("wwwroot/" + name)
                           ?? throw new InvalidOperationException($"The page's {name} is missing from XRay.Web.dll.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
