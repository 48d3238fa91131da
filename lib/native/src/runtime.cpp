// Errors, threads, seeds, versions and CUDA queries.
#include "common.h"

#include <ATen/Parallel.h>
#include <torch/version.h>

#include <climits>
#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace xr {

namespace {
thread_local std::string last_error;
thread_local std::string parallel_info_text;
}  // namespace

void set_error(const char* message) { last_error = message ? message : ""; }
void clear_error() { last_error.clear(); }

int32_t translate_current_exception() {
    try {
        throw;
    } catch (const ArgumentError& e) {
        set_error(e.what());
        return XR_ERR_ARGUMENT;
    } catch (const c10::IndexError& e) {
        set_error(e.what_without_backtrace());
        return XR_ERR_INDEX;
    } catch (const c10::ValueError& e) {
        set_error(e.what_without_backtrace());
        return XR_ERR_VALUE;
    } catch (const c10::TypeError& e) {
        set_error(e.what_without_backtrace());
        return XR_ERR_VALUE;
    } catch (const c10::Error& e) {
        set_error(e.what_without_backtrace());
        return XR_ERR_TORCH;
    } catch (const std::out_of_range& e) {
        set_error(e.what());
        return XR_ERR_INDEX;
    } catch (const std::invalid_argument& e) {
        set_error(e.what());
        return XR_ERR_VALUE;
    } catch (const std::bad_alloc& e) {
        set_error("out of memory");
        return XR_ERR_NOMEM;
    } catch (const std::exception& e) {
        set_error(e.what());
        return XR_ERR_STD;
    } catch (...) {
        set_error("unknown native exception");
        return XR_ERR_UNKNOWN;
    }
}

torch::Device device(int32_t device_type, int32_t device_index) {
    switch (device_type) {
        case 0: return torch::Device(torch::kCPU);
        case 1: return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(device_index < 0 ? 0 : device_index));
        default: throw ArgumentError("unknown device type " + std::to_string(device_type));
    }
}

c10::ScalarType dtype(int32_t code) {
    switch (code) {
        case 0: case 1: case 2: case 3: case 4: case 5: case 6: case 7: case 11: case 15:
            return static_cast<c10::ScalarType>(code);
        default: throw ArgumentError("unsupported dtype code " + std::to_string(code));
    }
}

c10::MemoryFormat memory_format(int32_t code) {
    switch (code) {
        case 0: return c10::MemoryFormat::Contiguous;
        case 1: return c10::MemoryFormat::ChannelsLast;
        case 2: return c10::MemoryFormat::Preserve;
        default: throw ArgumentError("unknown memory format " + std::to_string(code));
    }
}

torch::TensorOptions options(int32_t dtype_code, int32_t device_type, int32_t device_index, int32_t requires_grad) {
    return torch::TensorOptions()
        .dtype(dtype(dtype_code))
        .device(device(device_type, device_index))
        .requires_grad(requires_grad != 0);
}

std::vector<torch::Tensor> tensors(const xr_tensor* handles, int32_t n) {
    if (n < 0) throw ArgumentError("negative tensor count");
    if (n > 0 && handles == nullptr) throw ArgumentError("tensor list is null");
    std::vector<torch::Tensor> result;
    result.reserve(static_cast<size_t>(n));
    for (int32_t i = 0; i < n; ++i) result.push_back(T(handles[i]));
    return result;
}

}  // namespace xr

using namespace xr;

extern "C" {

int32_t xr_error_message(const char** message) {
    if (message == nullptr) return XR_ERR_ARGUMENT;
    *message = last_error.c_str();
    return XR_OK;
}

int32_t xr_runtime_versions(const char** torch_version) {
    XR_TRY(
        require(torch_version, "torch_version");
        *torch_version = TORCH_VERSION;
    );
}

int32_t xr_runtime_set_num_threads(int32_t n) {
    XR_TRY(
        if (n < 1) throw ArgumentError("thread count must be at least 1, got " + std::to_string(n));
        at::set_num_threads(n);
    );
}

int32_t xr_runtime_get_num_threads(int32_t* n) {
    XR_TRY(require(n, "n"); *n = at::get_num_threads(););
}

int32_t xr_runtime_manual_seed(int64_t seed) {
    XR_TRY(torch::manual_seed(static_cast<uint64_t>(seed)););
}

int32_t xr_runtime_parallel_info(const char** info) {
    XR_TRY(
        require(info, "info");
        parallel_info_text = at::get_parallel_info();
        *info = parallel_info_text.c_str();
    );
}

// glibc serves every allocation over its mmap threshold (32 MiB at most) with fresh mmap'd pages and unmaps them on
// free. A CNN's large activations (seed 002's first conv output is 90 MB at batch 32, 150 px) are allocated and freed
// every step, so each step page-faults and zero-fills them again: a third of a CPU training step's time, all in the
// kernel (bench/README.md has the profile). Serving them from the heap and never trimming it lets the next step reuse
// the same pages; the cost is that the process keeps its peak heap, as PyTorch's caching allocators do.
int32_t xr_runtime_keep_freed_memory(int32_t* applied) {
    XR_TRY(
        require(applied, "applied");
#ifdef __GLIBC__
        *applied = (mallopt(M_MMAP_MAX, 0) == 1 && mallopt(M_TRIM_THRESHOLD, INT_MAX) == 1) ? 1 : 0;
#else
        *applied = 0;
#endif
    );
}

int32_t xr_cuda_is_available(int32_t* available) {
    XR_TRY(require(available, "available"); *available = torch::cuda::is_available() ? 1 : 0;);
}

int32_t xr_cuda_device_count(int32_t* count) {
    XR_TRY(require(count, "count"); *count = static_cast<int32_t>(torch::cuda::device_count()););
}

int32_t xr_cuda_cudnn_is_available(int32_t* available) {
    XR_TRY(require(available, "available"); *available = torch::cuda::cudnn_is_available() ? 1 : 0;);
}

int32_t xr_cuda_synchronize(int32_t device_index) {
    XR_TRY(
        if (!torch::cuda::is_available()) throw ArgumentError("CUDA is not available on this machine");
        torch::cuda::synchronize(static_cast<int64_t>(device_index));
    );
}

}  // extern "C"
