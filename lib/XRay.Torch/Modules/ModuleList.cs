using System.Collections;
using static XRay.Torch.torch.nn;

namespace XRay.Torch.Modules;

/// <summary>A list of modules registered as children "0", "1", ...; forward is up to the owner.</summary>
public sealed class ModuleList<T> : Module, IReadOnlyList<T> where T : Module
{
    private readonly List<T> items = new();

    public ModuleList(params T[] modules)
    {
        foreach (var m in modules) append(m);
    }

    public ModuleList<T> append(T module)
    {
        register_module(items.Count.ToString(), module);
        items.Add(module);
        return this;
    }

    public int Count => items.Count;

    public T this[int index] => items[index];

    public IEnumerator<T> GetEnumerator() => items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
