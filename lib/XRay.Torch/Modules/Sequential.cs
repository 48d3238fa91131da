using System.Collections;
using static XRay.Torch.torch;
using static XRay.Torch.torch.nn;

namespace XRay.Torch.Modules;

/// <summary>Runs its modules in order; children are named "0", "1", ... as in PyTorch, or by the names given.</summary>
public sealed class Sequential : Module<Tensor, Tensor>, IEnumerable<Module<Tensor, Tensor>>
{
    private readonly List<Module<Tensor, Tensor>> layers = new();

    public Sequential() { }

    public Sequential(params Module<Tensor, Tensor>[] modules)
    {
        foreach (var m in modules) append(m);
    }

    public Sequential(params (string name, Module<Tensor, Tensor> module)[] modules)
    {
        foreach (var (name, m) in modules) append(name, m);
    }

    public Sequential append(Module<Tensor, Tensor> module) => append(layers.Count.ToString(), module);

    public Sequential append(string name, Module<Tensor, Tensor> module)
    {
        register_module(name, module);
        layers.Add(module);
        return this;
    }

    public int Count => layers.Count;

    public Module<Tensor, Tensor> this[int index] => layers[index];

    /// <summary>
    /// Each layer's output feeds the next. Intermediate outputs are freed as soon as the next layer has consumed
    /// them (autograd keeps what backward needs), so a forward hook that keeps an output must keep output.alias().
    /// </summary>
    public override Tensor forward(Tensor input)
    {
        var x = input;
        foreach (var layer in layers)
        {
            var y = layer.call(x);
            if (!ReferenceEquals(x, input) && !ReferenceEquals(x, y)) x.Dispose();
            x = y;
        }
        return ReferenceEquals(x, input) ? input.alias() : x;
    }

    public IEnumerator<Module<Tensor, Tensor>> GetEnumerator() => layers.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
