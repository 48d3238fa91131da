using XRay.Models;
using static TorchSharp.torch;

namespace XRay.Tests.Models;

public class StateDictsTests
{
    [Fact]
    public void Missing_unexpected_and_misshapen_keys_are_named()
    {
        using var model = nn.Sequential(("fc", nn.Linear(3, 2)));
        using var w = zeros(2, 3);
        using var extra = zeros(1);
        var e = Assert.Throws<InvalidDataException>(() =>
            StateDicts.Load(model, new Dictionary<string, Tensor> { ["fc.weight"] = w, ["head.bias"] = extra }, source: "w.pt"));
        Assert.Contains("from 'w.pt'", e.Message);
        Assert.Contains("1 missing (fc.bias)", e.Message);
        Assert.Contains("1 unexpected (head.bias)", e.Message);

        using var wrong = zeros(4, 3);
        var shape = Assert.Throws<InvalidDataException>(() =>
            StateDicts.Load(model, new Dictionary<string, Tensor> { ["fc.weight"] = wrong }, strict: false));
        Assert.Contains("fc.weight: file [4, 3], model [2, 3]", shape.Message);

        StateDicts.Load(model, new Dictionary<string, Tensor> { ["fc.weight"] = w }, strict: false);
        Assert.Equal(0f, model.parameters().First().abs().sum().item<float>());
    }
}
