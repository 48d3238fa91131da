namespace XRay.Torch;

/// <summary>
/// Frees every tensor created on this thread while it is the innermost scope, when it is disposed,
/// like TorchSharp's <c>torch.NewDisposeScope()</c>. A training step's temporaries then go
/// deterministically instead of waiting for the finalizer.
/// <code>
/// using (var scope = torch.NewDisposeScope())
/// {
///     var loss = model.call(x).sub(y).square().mean();   // temporaries tracked
///     return scope.MoveToOuter(loss);                    // except what escapes
/// }
/// </code>
/// </summary>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic] private static DisposeScope? current;

    private readonly DisposeScope? outer;
    private readonly List<torch.Tensor> tracked = new();
    private bool disposed;

    internal DisposeScope()
    {
        outer = current;
        current = this;
    }

    /// <summary>The innermost scope on this thread, if any.</summary>
    public static DisposeScope? Current => current;

    /// <summary>How many tensors this scope will dispose.</summary>
    public int Count => tracked.Count(t => t.Scope == this && !t.IsInvalid);

    internal static void Track(torch.Tensor tensor)
    {
        var scope = current;
        if (scope is null) return;
        tensor.Scope = scope;
        scope.tracked.Add(tensor);
    }

    /// <summary>Hands the tensor to the enclosing scope (or to nobody), so it survives this one.</summary>
    public T MoveToOuter<T>(T tensor) where T : torch.Tensor
    {
        if (tensor.Scope != this) return tensor;
        tensor.Scope = null;
        if (outer is not null)
        {
            tensor.Scope = outer;
            outer.tracked.Add(tensor);
        }
        return tensor;
    }

    public (T1, T2) MoveToOuter<T1, T2>(T1 first, T2 second) where T1 : torch.Tensor where T2 : torch.Tensor =>
        (MoveToOuter(first), MoveToOuter(second));

    /// <summary>Takes the tensor out of every scope: its owner must dispose it.</summary>
    public T Detach<T>(T tensor) where T : torch.Tensor
    {
        if (tensor.Scope == this) tensor.Scope = null;
        return tensor;
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        foreach (var tensor in tracked)
            if (tensor.Scope == this)
            {
                tensor.Scope = null;
                tensor.Dispose();
            }
        tracked.Clear();
        if (current == this) current = outer;
    }
}
