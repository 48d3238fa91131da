using System.CommandLine;
using System.Text.Json;
using XRay.Models;

namespace XRay.Cli.Commands;

/// <summary>`xray model summary --arch A --input CxHxW --classes K [--json]`: the Keras-like layer table.</summary>
internal static class ModelCommand
{
    public static Command Create()
    {
        var arch = new Option<string>("--arch") { Description = $"Architecture: {string.Join("|", ModelFactory.Architectures)}.", Required = true };
        var input = new Option<string>("--input") { Description = "Input shape CxHxW, e.g. 3x224x224.", DefaultValueFactory = _ => "3x224x224" };
        var classes = new Option<int>("--classes") { Description = "Number of classes.", DefaultValueFactory = _ => 2 };
        var json = new Option<bool>("--json") { Description = "Print JSON with total_params and trainable_params." };
        var summary = new Command("summary", "Print a model's layers, output shapes and parameter counts.") { arch, input, classes, json };
        summary.SetAction(parse =>
        {
            try
            {
                var (c, h, w) = ModelFactory.ParseInputShape(parse.GetValue(input)!);
                using var model = ModelFactory.Create(parse.GetValue(arch)!, c, h, w, parse.GetValue(classes), seed: 0);
                var s = ModelSummary.Create(model, c, h, w);
                parse.InvocationConfiguration.Output.Write(parse.GetValue(json) ? ToJson(s) + "\n" : s.ToString());
                return ExitCodes.Ok;
            }
            catch (ArgumentException e)
            {
                parse.InvocationConfiguration.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.Usage;
            }
        });
        var command = new Command("model", "Inspect the model architectures.");
        command.Subcommands.Add(summary);
        return command;
    }

    private static string ToJson(ModelSummary s) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["model"] = s.ModelName,
        ["input_shape"] = s.InputShape,
        ["layers"] = s.Layers.Select(l => new Dictionary<string, object>
        {
            ["name"] = l.Name, ["type"] = l.Type, ["output_shape"] = l.OutputShape, ["params"] = l.Parameters,
        }).ToList(),
        ["total_params"] = s.TotalParameters,
        ["trainable_params"] = s.TrainableParameters,
        ["non_trainable_params"] = s.NonTrainableParameters,
    });
}
