using System.CommandLine;
using System.Net;
using Microsoft.Extensions.Hosting;
using XRay.Web;

namespace XRay.Cli.Commands;

/// <summary>
/// `xray serve --checkpoint FILE [--host 127.0.0.1] [--port 5000] [--max-upload-mb 20]`: the web app (XRay.Web). Loads
/// the checkpoint once, prints the address, logs one line per request, and on Ctrl+C (SIGINT) or SIGTERM lets the requests in flight finish
/// (up to <see cref="ServeOptions.ShutdownTimeout"/>) and exits 0.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var checkpointFile = new Option<string>("--checkpoint") { Description = "A checkpoint written by `xray train` or a notebook", Required = true };
        var host = new Option<string>("--host") { Description = "Address to listen on: 127.0.0.1 (this machine only) unless told otherwise", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Port (0: any free one; the address is printed)", DefaultValueFactory = _ => 5000 };
        var maxUpload = new Option<int>("--max-upload-mb") { Description = "Largest upload accepted; a larger body is refused with 413", DefaultValueFactory = _ => 20 };
        var replicas = new Option<int>("--replicas") { Description = "Model replicas: requests classified at once", DefaultValueFactory = _ => ClassifierPool.DefaultReplicas };
        var testData = new Option<string?>("--test-data") { Description = "A dataset folder: its test split is evaluated at start and the accuracy shown on the page" };
        var device = DeviceOption.Create();
        var command = new Command("serve", "Serve a checkpoint as a web page and an HTTP API (POST /api/predict, /api/gradcam; GET /healthz).")
        {
            checkpointFile, host, port, maxUpload, replicas, testData, device,
        };
        command.SetAction(parse => ExpectedErrors.Run(parse.InvocationConfiguration.Error, () =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var options = new ServeOptions
            {
                Checkpoint = parse.GetValue(checkpointFile)!,
                Host = parse.GetValue(host)!,
                Port = parse.GetValue(port) is var p and >= 0 and <= 65535 ? p : throw new UsageException($"--port must be 0..65535, got {parse.GetValue(port)}."),
                MaxUploadMb = OptionChecks.Positive(parse.GetValue(maxUpload), "--max-upload-mb"),
                Replicas = OptionChecks.Positive(parse.GetValue(replicas), "--replicas"),
                TestData = parse.GetValue(testData),
            };
            var address = WebApp.Address(options.Host);
            var target = DeviceOption.Resolve(parse.GetValue(device)!);
            stdout.WriteLine($"Loading {options.Checkpoint} ({options.Replicas} replica{(options.Replicas == 1 ? "" : "s")} on {target})...");
            using var pool = ClassifierPool.Load(options, target);
            using var app = WebApp.CreateHostBuilder(options, pool).Build();
            try
            {
                app.Start();
            }
            catch (IOException e)
            {
                throw new IOException($"Cannot listen on {options.Host}:{options.Port}: {e.Message} Pick another --port (0: any free one).", e);
            }
            var url = WebApp.Url(app);
            var info = pool.Info;
            stdout.WriteLine($"Serving {info.Name} ({string.Join("/", info.Input)}, classes {string.Join(", ", info.Classes)}" +
                             (info.TestAccuracy is { } a ? $", test accuracy {a:P1}" : "") + ")");
            if (!IPAddress.IsLoopback(address))
                stdout.WriteLine($"warning: listening on {options.Host}: anyone who can reach this machine can use the page (it has no login).");
            // A shell that starts a command in the background without job control sets SIGINT to "ignore", the process
            // inherits that, and .NET then never sees Ctrl+C: say so, rather than leave someone waiting on it.
            stdout.WriteLine($"Listening on {url}  ({(SigintIgnored() ? "SIGTERM stops it; SIGINT is ignored, as whatever started this process asked" : "Ctrl+C stops")})");
            stdout.Flush();
            app.WaitForShutdown();
            stdout.WriteLine("Stopped.");
            return 0;
        }));
        return command;
    }

    /// <summary>Whether this process inherited SIGINT as ignored (bit 1 of SigIgn in /proc/self/status, Linux only).</summary>
    private static bool SigintIgnored()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return false;
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & (1UL << (2 - 1))) != 0;
    }
}
