using System.Runtime.InteropServices;

namespace XRay.Torch.Interop;

/// <summary>Raw pointers of several tensors for one native call, each kept alive (AddRef) until disposed.</summary>
internal readonly struct HandleList : IDisposable
{
    private readonly SafeHandle[] handles;

    public IntPtr[] Pointers { get; }

    public HandleList(IReadOnlyList<torch.Tensor> tensors)
    {
        handles = new SafeHandle[tensors.Count];
        Pointers = new IntPtr[tensors.Count];
        var count = 0;
        try
        {
            for (; count < tensors.Count; count++)
            {
                var h = tensors[count].Handle;
                var added = false;
                h.DangerousAddRef(ref added);
                handles[count] = h;
                Pointers[count] = h.DangerousGetHandle();
            }
        }
        catch
        {
            for (var i = 0; i < count; i++) handles[i].DangerousRelease();
            throw;
        }
    }

    public int Count => Pointers.Length;

    public void Dispose()
    {
        foreach (var h in handles) h?.DangerousRelease();
    }
}
