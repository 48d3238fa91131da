using System.CommandLine;
using System.Text.Json;
using XRay.Weights;

namespace XRay.Cli.Commands;

/// <summary>
/// `xray weights list [--json]` and `xray weights download NAME`: the pretrained weight sets --weights knows, and
/// filling their cache (torch's, Keras' or the NuGet folder) ahead of time.
/// </summary>
internal static class WeightsCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON: name, arch, source, file, url, path, cached, transforms, imagenet_top1, default" };
        var list = new Command("list", "List the pretrained weight sets, where each is cached and whether it is there.") { json };
        list.SetAction(parse =>
        {
            var cache = WeightCache.FromEnvironment();
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(WeightCatalog.All.Select(w => Describe(w, cache)).ToList()));
                return 0;
            }
            output.WriteLine($"{"name",-28} {"arch",-15} {"source",-11} {"top-1",6}  {"cached",-6}  path");
            foreach (var w in WeightCatalog.All)
            {
                var path = cache.PathOf(w);
                var top1 = w.ImageNetTop1 is { } t ? $"{t:F1}" : "-";
                var name = w.IsDefault ? w.Name + " *" : w.Name;
                output.WriteLine($"{name,-28} {w.Arch,-15} {w.Source,-11} {top1,6}  {(File.Exists(path) ? "yes" : "no"),-6}  {path}");
            }
            output.WriteLine("* what --weights imagenet picks for the arch");
            return 0;
        });

        var name = new Argument<string>("NAME") { Description = "A weight set from `xray weights list`, e.g. mobilenet-v2.IMAGENET1K_V2" };
        var download = new Command("download", "Download a weight set into its cache (checked against its SHA-256 prefix) and print its path.") { name };
        download.SetAction(parse => ExpectedErrors.RunAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var word = parse.GetValue(name)!;
            var set = WeightCatalog.Find(word) ?? throw new UsageException(
                $"No weight set named '{word}'. Choose one of: {string.Join(", ", WeightCatalog.All.Select(w => w.Name))}.");
            var error = parse.InvocationConfiguration.Error;
            using var downloader = new WeightDownloader(options: new XRay.Kaggle.DownloadOptions { Log = error.WriteLine });
            var progress = new Progress<XRay.Kaggle.DownloadProgress>(p => error.WriteLine($"{set.FileName}: {p}"));
            var path = await downloader.EnsureAsync(set, progress).ConfigureAwait(false);
            parse.InvocationConfiguration.Output.WriteLine(path);
            return 0;
        }));

        var command = new Command("weights", "Pretrained weights: torchvision's and Keras' ImageNet files, and the ResNet-18 NuGet serves.");
        command.Subcommands.Add(list);
        command.Subcommands.Add(download);
        return command;
    }

    private static Dictionary<string, object?> Describe(WeightSet w, WeightCache cache)
    {
        var path = cache.PathOf(w);
        return new Dictionary<string, object?>
        {
            ["name"] = w.Name, ["arch"] = w.Arch, ["source"] = w.Source.ToString().ToLowerInvariant(), ["file"] = w.FileName,
            ["url"] = w.Source == WeightSource.NuGet ? null : cache.UrlOf(w).ToString(), ["path"] = path, ["cached"] = File.Exists(path),
            ["sha256_prefix"] = w.HashPrefix,
            ["transforms"] = new Dictionary<string, object>
            {
                ["resize"] = w.Transforms.ResizeSize, ["crop"] = w.Transforms.CropSize, ["mean"] = w.Transforms.Mean, ["std"] = w.Transforms.Std,
            },
            ["imagenet_top1"] = w.ImageNetTop1, ["default"] = w.IsDefault,
        };
    }
}
