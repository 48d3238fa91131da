using System.Text.Json;

namespace XRay.Cli.Tests.Commands;

public class ModelCommandTests
{
    // End to end: the built command, as a user runs it.
    private static (int code, string output, string error) Xray(params string[] args) =>
        CliRunner.RunProcess(new Dictionary<string, string?>(), args);

    [Fact]
    public void Summary_prints_the_table_and_json_with_totals()
    {
        var (code, text, _) = Xray("model", "summary", "--arch", "blog-cnn", "--input", "3x255x255", "--classes", "2");
        Assert.Equal(0, code);
        Assert.Contains("Total params: 3,706,049", text);

        var (jsonCode, json, _) = Xray("model", "summary", "--arch", "blog-cnn", "--input", "3x255x255", "--classes", "3", "--json");
        Assert.Equal(0, jsonCode);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(3_706_307, doc.RootElement.GetProperty("total_params").GetInt64());
        Assert.Equal(3_706_307, doc.RootElement.GetProperty("trainable_params").GetInt64());

        var (badCode, _, error) = Xray("model", "summary", "--arch", "resnet", "--input", "3x32x32");
        Assert.Equal(2, badCode);
        Assert.Contains("Unknown architecture 'resnet'", error);
    }

    /// <summary>Seed 001's Keras MobileNet with its head: Keras' counts (the bare network's are in XRay.Tests' MobileNetV1Tests).</summary>
    [Fact]
    public void Summary_of_mobilenet_with_seed_001s_head_gives_keras_parameter_counts()
    {
        var (code, json, error) = CliRunner.Run("model", "summary", "--arch", "mobilenet", "--input", "3x224x224", "--classes", "3", "--json");
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(4_026_627, doc.RootElement.GetProperty("total_params").GetInt64());
        Assert.Equal(4_003_715, doc.RootElement.GetProperty("trainable_params").GetInt64());
        Assert.Equal(22_912, doc.RootElement.GetProperty("non_trainable_params").GetInt64());
    }
}
