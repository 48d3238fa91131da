using System.Runtime.InteropServices;

namespace XRay.Torch.Interop;

// Mirrors lib/native/src/autograd.cpp.
internal static unsafe partial class NativeMethods
{
    [LibraryImport(Lib)] internal static partial int xr_tensor_requires_grad(TensorHandle t, int* result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_set_requires_grad(TensorHandle t, int requiresGrad);
    [LibraryImport(Lib)] internal static partial int xr_tensor_is_leaf(TensorHandle t, int* result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_backward(TensorHandle t, TensorHandle gradient, int retainGraph, int createGraph);
    [LibraryImport(Lib)] internal static partial int xr_tensor_grad(TensorHandle t, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_zero_grad(TensorHandle t, int setToNone);
    [LibraryImport(Lib)] internal static partial int xr_tensor_detach(TensorHandle t, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int xr_tensor_set_data(TensorHandle t, TensorHandle src);
    [LibraryImport(Lib)] internal static partial int xr_autograd_set_grad_enabled(int enabled, int* previous);
    [LibraryImport(Lib)] internal static partial int xr_autograd_is_grad_enabled(int* enabled);
    [LibraryImport(Lib)] internal static partial int xr_autograd_inference_mode_enter(out GuardHandle guard);
    [LibraryImport(Lib)] internal static partial int xr_autograd_inference_mode_exit(IntPtr guard);
    [LibraryImport(Lib)] internal static partial int xr_autograd_is_inference_mode(int* enabled);
}
