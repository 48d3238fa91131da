/*
 * xray_native: the whole C ABI between XRay.Torch (C#) and libtorch (images go through OpenCvSharp, in XRay).
 *
 * Conventions (see shared/DESIGN.md):
 *  - every export is `int32_t xr_<area>_<verb>(...)` and returns an xr_status;
 *    results come back through out-parameters;
 *  - on a non-zero status, xr_error_message() returns the message on the calling thread;
 *  - handles are opaque and each creating function has a matching xr_<type>_free;
 *  - integers are int32_t / int64_t, never size_t;
 *  - an optional tensor argument is passed as NULL.
 */
#ifndef XRAY_NATIVE_H
#define XRAY_NATIVE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define XR_API __attribute__((visibility("default")))

/* ---- status codes -------------------------------------------------------------------------- */
typedef enum xr_status {
    XR_OK = 0,
    XR_ERR_TORCH = 1,    /* c10::Error: shape mismatch, wrong dtype, CUDA unavailable, ... */
    XR_ERR_INDEX = 2,    /* c10::IndexError or std::out_of_range */
    XR_ERR_VALUE = 3,    /* c10::ValueError, c10::TypeError or std::invalid_argument */
    /* 4 was cv::Exception, before images moved to OpenCvSharp */
    XR_ERR_STD = 5,      /* any other std::exception */
    XR_ERR_UNKNOWN = 6,  /* anything else that was thrown */
    XR_ERR_ARGUMENT = 7, /* a null handle or an out-of-range argument caught before calling libtorch */
    XR_ERR_NOMEM = 8     /* std::bad_alloc */
} xr_status;

/* ---- opaque handles ------------------------------------------------------------------------ */
typedef struct xr_tensor_s* xr_tensor;       /* a torch::Tensor */
typedef struct xr_optimizer_s* xr_optimizer; /* a torch::optim::Optimizer */
typedef struct xr_bytes_s* xr_bytes;         /* a byte buffer owned by native code */
typedef struct xr_dict_s* xr_dict;           /* an ordered name -> tensor dictionary */
typedef struct xr_guard_s* xr_guard;         /* a thread-local RAII guard (inference mode) */

/* A scalar argument; kind 0 = floating (d), 1 = integral (i), 2 = bool (i != 0).
 * Keeping integral scalars integral preserves libtorch's type promotion: int64 + 2 stays int64. */
typedef struct xr_scalar {
    double d;
    int64_t i;
    int32_t kind;
} xr_scalar;

/* Dtypes use c10::ScalarType's numbering: 0 uint8, 1 int8, 2 int16, 3 int32, 4 int64, 5 float16,
 * 6 float32, 7 float64, 11 bool, 15 bfloat16. Devices use c10::DeviceType: 0 CPU, 1 CUDA. */

/* ---- errors and runtime (runtime.cpp) ------------------------------------------------------- */
XR_API int32_t xr_error_message(const char** message);
XR_API int32_t xr_runtime_versions(const char** torch_version);
XR_API int32_t xr_runtime_set_num_threads(int32_t n);
XR_API int32_t xr_runtime_get_num_threads(int32_t* n);
XR_API int32_t xr_runtime_manual_seed(int64_t seed);
XR_API int32_t xr_runtime_parallel_info(const char** info);
/* Large allocations from the heap, freed memory kept for reuse (glibc only; *applied = 0 elsewhere). */
XR_API int32_t xr_runtime_keep_freed_memory(int32_t* applied);
XR_API int32_t xr_cuda_is_available(int32_t* available);
XR_API int32_t xr_cuda_device_count(int32_t* count);
XR_API int32_t xr_cuda_cudnn_is_available(int32_t* available);
XR_API int32_t xr_cuda_synchronize(int32_t device_index);

/* ---- tensor lifecycle, creation and data (tensor.cpp) ---------------------------------------- */
XR_API int32_t xr_tensor_free(xr_tensor t);
XR_API int32_t xr_tensor_from_data(const void* data, int64_t nbytes, const int64_t* shape, int32_t ndim,
                                   int32_t dtype, int32_t device_type, int32_t device_index,
                                   int32_t requires_grad, xr_tensor* out);
/* kind: 0 empty, 1 zeros, 2 ones, 3 rand (U[0,1)), 4 randn (N(0,1)) */
XR_API int32_t xr_tensor_new(int32_t kind, const int64_t* shape, int32_t ndim, int32_t dtype,
                             int32_t device_type, int32_t device_index, int32_t requires_grad, xr_tensor* out);
XR_API int32_t xr_tensor_full(const int64_t* shape, int32_t ndim, xr_scalar value, int32_t dtype,
                              int32_t device_type, int32_t device_index, int32_t requires_grad, xr_tensor* out);
XR_API int32_t xr_tensor_arange(xr_scalar start, xr_scalar end, xr_scalar step, int32_t dtype,
                                int32_t device_type, int32_t device_index, int32_t requires_grad, xr_tensor* out);
XR_API int32_t xr_tensor_randint(int64_t low, int64_t high, const int64_t* shape, int32_t ndim, int32_t dtype,
                                 int32_t device_type, int32_t device_index, xr_tensor* out);
XR_API int32_t xr_tensor_randperm(int64_t n, int32_t device_type, int32_t device_index, xr_tensor* out);
XR_API int32_t xr_tensor_ndim(xr_tensor t, int32_t* ndim);
XR_API int32_t xr_tensor_sizes(xr_tensor t, int64_t* sizes, int32_t capacity);
XR_API int32_t xr_tensor_strides(xr_tensor t, int64_t* strides, int32_t capacity);
XR_API int32_t xr_tensor_numel(xr_tensor t, int64_t* numel);
XR_API int32_t xr_tensor_dtype(xr_tensor t, int32_t* dtype);
XR_API int32_t xr_tensor_device(xr_tensor t, int32_t* device_type, int32_t* device_index);
XR_API int32_t xr_tensor_element_size(xr_tensor t, int32_t* size);
/* Copies the tensor's elements in row-major order into dst (moving to CPU first when needed). */
XR_API int32_t xr_tensor_copy_to(xr_tensor t, void* dst, int64_t nbytes);
/* The address of a contiguous CPU tensor's first element; fails for anything else. */
XR_API int32_t xr_tensor_data_ptr(xr_tensor t, void** ptr);
XR_API int32_t xr_tensor_item(xr_tensor t, xr_scalar* value);
/* libtorch's own printout; the string stays valid until the next call on this thread. */
XR_API int32_t xr_tensor_to_string(xr_tensor t, const char** text);
/* dtype or device_type of -1 keeps the current one. memory_format (codes below) is PyTorch's Tensor.to(memory_format=):
   a tensor whose strides already suggest that format is returned as is, any other is copied into it (unlike
   contiguous(), which leaves e.g. an NCHW (32, 1, 3, 3) weight alone because its size-1 dimension makes it count as
   channels_last-contiguous, so oneDNN still picks NCHW for it). */
XR_API int32_t xr_tensor_to(xr_tensor t, int32_t dtype, int32_t device_type, int32_t device_index,
                            int32_t non_blocking, int32_t copy, int32_t memory_format, xr_tensor* out);
/* memory_format: 0 contiguous (NCHW), 1 channels_last (NHWC), 2 preserve */
XR_API int32_t xr_tensor_contiguous(xr_tensor t, int32_t memory_format, xr_tensor* out);
XR_API int32_t xr_tensor_is_contiguous(xr_tensor t, int32_t memory_format, int32_t* result);
XR_API int32_t xr_tensor_clone(xr_tensor t, xr_tensor* out);
XR_API int32_t xr_tensor_alias(xr_tensor t, xr_tensor* out);

/* ---- shapes, joining and indexing (tensor_shape.cpp) --------------------------------------- */
XR_API int32_t xr_tensor_reshape(xr_tensor t, const int64_t* shape, int32_t ndim, xr_tensor* out);
XR_API int32_t xr_tensor_view(xr_tensor t, const int64_t* shape, int32_t ndim, xr_tensor* out);
XR_API int32_t xr_tensor_permute(xr_tensor t, const int64_t* dims, int32_t ndim, xr_tensor* out);
XR_API int32_t xr_tensor_transpose(xr_tensor t, int64_t dim0, int64_t dim1, xr_tensor* out);
XR_API int32_t xr_tensor_flatten(xr_tensor t, int64_t start_dim, int64_t end_dim, xr_tensor* out);
XR_API int32_t xr_tensor_squeeze(xr_tensor t, int64_t dim, int32_t all, xr_tensor* out);
XR_API int32_t xr_tensor_unsqueeze(xr_tensor t, int64_t dim, xr_tensor* out);
XR_API int32_t xr_tensor_expand(xr_tensor t, const int64_t* shape, int32_t ndim, xr_tensor* out);
XR_API int32_t xr_tensor_cat(const xr_tensor* tensors, int32_t n, int64_t dim, xr_tensor* out);
XR_API int32_t xr_tensor_stack(const xr_tensor* tensors, int32_t n, int64_t dim, xr_tensor* out);
XR_API int32_t xr_tensor_select(xr_tensor t, int64_t dim, int64_t index, xr_tensor* out);
XR_API int32_t xr_tensor_narrow(xr_tensor t, int64_t dim, int64_t start, int64_t length, xr_tensor* out);
XR_API int32_t xr_tensor_slice(xr_tensor t, int64_t dim, int64_t start, int64_t end, int64_t step, xr_tensor* out);
XR_API int32_t xr_tensor_index_select(xr_tensor t, int64_t dim, xr_tensor index, xr_tensor* out);
XR_API int32_t xr_tensor_masked_select(xr_tensor t, xr_tensor mask, xr_tensor* out);
/* A Python-style index t[i, a:b:c, ..., None]. Each entry is 4 int64: kind, a, b, c.
 * kind 0 integer a; 1 slice a:b:c (XR_SLICE_NONE for an omitted bound); 2 ellipsis; 3 None (new axis). */
#define XR_SLICE_NONE INT64_MIN
XR_API int32_t xr_tensor_index(xr_tensor t, const int64_t* spec, int32_t n, xr_tensor* out);
XR_API int32_t xr_tensor_index_put(xr_tensor t, const int64_t* spec, int32_t n, xr_tensor value);

/* ---- arithmetic, comparison, reductions (tensor_math.cpp) ---------------------------------- */
XR_API int32_t xr_tensor_add(xr_tensor a, xr_tensor b, xr_scalar alpha, xr_tensor* out);
XR_API int32_t xr_tensor_sub(xr_tensor a, xr_tensor b, xr_scalar alpha, xr_tensor* out);
XR_API int32_t xr_tensor_mul(xr_tensor a, xr_tensor b, xr_tensor* out);
XR_API int32_t xr_tensor_div(xr_tensor a, xr_tensor b, xr_tensor* out);
XR_API int32_t xr_tensor_pow(xr_tensor a, xr_tensor b, xr_tensor* out);
XR_API int32_t xr_tensor_matmul(xr_tensor a, xr_tensor b, xr_tensor* out);
XR_API int32_t xr_tensor_maximum(xr_tensor a, xr_tensor b, xr_tensor* out);
XR_API int32_t xr_tensor_minimum(xr_tensor a, xr_tensor b, xr_tensor* out);
XR_API int32_t xr_tensor_add_scalar(xr_tensor a, xr_scalar b, xr_tensor* out);
XR_API int32_t xr_tensor_sub_scalar(xr_tensor a, xr_scalar b, xr_tensor* out);
XR_API int32_t xr_tensor_rsub_scalar(xr_tensor a, xr_scalar b, xr_tensor* out);
XR_API int32_t xr_tensor_mul_scalar(xr_tensor a, xr_scalar b, xr_tensor* out);
XR_API int32_t xr_tensor_div_scalar(xr_tensor a, xr_scalar b, xr_tensor* out);
XR_API int32_t xr_tensor_rdiv_scalar(xr_tensor a, xr_scalar b, xr_tensor* out);
XR_API int32_t xr_tensor_pow_scalar(xr_tensor a, xr_scalar b, xr_tensor* out);
/* Comparisons; op: 0 eq, 1 ne, 2 lt, 3 le, 4 gt, 5 ge. The result is a bool tensor. */
XR_API int32_t xr_tensor_compare(xr_tensor a, xr_tensor b, int32_t op, xr_tensor* out);
XR_API int32_t xr_tensor_compare_scalar(xr_tensor a, xr_scalar b, int32_t op, xr_tensor* out);
XR_API int32_t xr_tensor_where(xr_tensor condition, xr_tensor a, xr_tensor b, xr_tensor* out);
/* Element-wise functions; op: 0 neg, 1 abs, 2 exp, 3 log, 4 sqrt, 5 tanh, 6 sigmoid, 7 relu,
 * 8 floor, 9 ceil, 10 round, 11 sign, 12 logical_not, 13 square, 14 sin, 15 cos, 16 relu6, 17 log1p */
XR_API int32_t xr_tensor_unary(xr_tensor t, int32_t op, xr_tensor* out);
XR_API int32_t xr_tensor_clamp(xr_tensor t, xr_scalar min, int32_t has_min, xr_scalar max, int32_t has_max,
                               xr_tensor* out);
/* dims == NULL (ndim 0) reduces over every dimension. dtype -1 keeps libtorch's default. */
XR_API int32_t xr_tensor_sum(xr_tensor t, const int64_t* dims, int32_t ndim, int32_t keepdim, int32_t dtype,
                             xr_tensor* out);
XR_API int32_t xr_tensor_mean(xr_tensor t, const int64_t* dims, int32_t ndim, int32_t keepdim, int32_t dtype,
                              xr_tensor* out);
/* op: 0 max, 1 min. Over everything (values only) or along dim (values and indices). */
XR_API int32_t xr_tensor_max_all(xr_tensor t, int32_t op, xr_tensor* out);
XR_API int32_t xr_tensor_max_dim(xr_tensor t, int32_t op, int64_t dim, int32_t keepdim, xr_tensor* values,
                                 xr_tensor* indices);
/* op: 0 argmax, 1 argmin; has_dim 0 flattens first. */
XR_API int32_t xr_tensor_argmax(xr_tensor t, int32_t op, int64_t dim, int32_t has_dim, int32_t keepdim,
                                xr_tensor* out);
XR_API int32_t xr_tensor_std(xr_tensor t, const int64_t* dims, int32_t ndim, int32_t unbiased, int32_t keepdim,
                             int32_t variance, xr_tensor* out);
XR_API int32_t xr_tensor_softmax(xr_tensor t, int64_t dim, int32_t log, xr_tensor* out);
XR_API int32_t xr_tensor_allclose(xr_tensor a, xr_tensor b, double rtol, double atol, int32_t* result);
XR_API int32_t xr_tensor_equal(xr_tensor a, xr_tensor b, int32_t* result);
/* In place. */
XR_API int32_t xr_tensor_add_(xr_tensor t, xr_tensor other, xr_scalar alpha);
XR_API int32_t xr_tensor_add_scalar_(xr_tensor t, xr_scalar value);
XR_API int32_t xr_tensor_mul_scalar_(xr_tensor t, xr_scalar value);
XR_API int32_t xr_tensor_fill_(xr_tensor t, xr_scalar value);
XR_API int32_t xr_tensor_zero_(xr_tensor t);
XR_API int32_t xr_tensor_copy_(xr_tensor t, xr_tensor src);
XR_API int32_t xr_tensor_uniform_(xr_tensor t, double low, double high);
XR_API int32_t xr_tensor_normal_(xr_tensor t, double mean, double std);
XR_API int32_t xr_tensor_clamp_(xr_tensor t, xr_scalar min, int32_t has_min, xr_scalar max, int32_t has_max);

/* ---- autograd (autograd.cpp) ----------------------------------------------------------------- */
XR_API int32_t xr_tensor_requires_grad(xr_tensor t, int32_t* result);
XR_API int32_t xr_tensor_set_requires_grad(xr_tensor t, int32_t requires_grad);
XR_API int32_t xr_tensor_is_leaf(xr_tensor t, int32_t* result);
/* gradient may be NULL for a scalar output. */
XR_API int32_t xr_tensor_backward(xr_tensor t, xr_tensor gradient, int32_t retain_graph, int32_t create_graph);
/* *out is NULL when the tensor has no gradient. */
XR_API int32_t xr_tensor_grad(xr_tensor t, xr_tensor* out);
XR_API int32_t xr_tensor_zero_grad(xr_tensor t, int32_t set_to_none);
XR_API int32_t xr_tensor_detach(xr_tensor t, xr_tensor* out);
/* Replaces t's data with src's, keeping t's identity (parameters moved to another device). */
XR_API int32_t xr_tensor_set_data(xr_tensor t, xr_tensor src);
XR_API int32_t xr_autograd_set_grad_enabled(int32_t enabled, int32_t* previous);
XR_API int32_t xr_autograd_is_grad_enabled(int32_t* enabled);
/* Enters c10::InferenceMode on this thread; exit (free) on the same thread, innermost first. */
XR_API int32_t xr_autograd_inference_mode_enter(xr_guard* out);
XR_API int32_t xr_autograd_inference_mode_exit(xr_guard guard);
XR_API int32_t xr_autograd_is_inference_mode(int32_t* enabled);

/* ---- neural-network functions (nn_functional.cpp) ------------------------------------------ */
/* Pairs (stride, padding, ...) are int64[2] for (H, W). */
XR_API int32_t xr_nn_conv2d(xr_tensor input, xr_tensor weight, xr_tensor bias, const int64_t* stride,
                            const int64_t* padding, const int64_t* dilation, int64_t groups, xr_tensor* out);
XR_API int32_t xr_nn_linear(xr_tensor input, xr_tensor weight, xr_tensor bias, xr_tensor* out);
XR_API int32_t xr_nn_max_pool2d(xr_tensor input, const int64_t* kernel, const int64_t* stride,
                                const int64_t* padding, const int64_t* dilation, int32_t ceil_mode, xr_tensor* out);
XR_API int32_t xr_nn_avg_pool2d(xr_tensor input, const int64_t* kernel, const int64_t* stride,
                                const int64_t* padding, int32_t ceil_mode, int32_t count_include_pad,
                                xr_tensor* out);
XR_API int32_t xr_nn_adaptive_avg_pool2d(xr_tensor input, const int64_t* output_size, xr_tensor* out);
XR_API int32_t xr_nn_adaptive_max_pool2d(xr_tensor input, const int64_t* output_size, xr_tensor* out);
/* Updates running_mean / running_var in place when training. */
XR_API int32_t xr_nn_batch_norm(xr_tensor input, xr_tensor weight, xr_tensor bias, xr_tensor running_mean,
                                xr_tensor running_var, int32_t training, double momentum, double eps,
                                xr_tensor* out);
XR_API int32_t xr_nn_dropout(xr_tensor input, double p, int32_t training, xr_tensor* out);
/* approximate: 0 none (erf), 1 tanh */
XR_API int32_t xr_nn_gelu(xr_tensor input, int32_t approximate, xr_tensor* out);
XR_API int32_t xr_nn_leaky_relu(xr_tensor input, double negative_slope, xr_tensor* out);
/* reduction: 0 none, 1 mean, 2 sum (at::Reduction) */
XR_API int32_t xr_nn_cross_entropy(xr_tensor input, xr_tensor target, xr_tensor weight, int32_t reduction,
                                   int64_t ignore_index, double label_smoothing, xr_tensor* out);
XR_API int32_t xr_nn_nll_loss(xr_tensor input, xr_tensor target, xr_tensor weight, int32_t reduction,
                              int64_t ignore_index, xr_tensor* out);
XR_API int32_t xr_nn_binary_cross_entropy(xr_tensor input, xr_tensor target, xr_tensor weight, int32_t reduction,
                                          xr_tensor* out);
XR_API int32_t xr_nn_binary_cross_entropy_with_logits(xr_tensor input, xr_tensor target, xr_tensor weight,
                                                      xr_tensor pos_weight, int32_t reduction, xr_tensor* out);
XR_API int32_t xr_nn_mse_loss(xr_tensor input, xr_tensor target, int32_t reduction, xr_tensor* out);

/* ---- optimizers (optim.cpp) ------------------------------------------------------------------ */
XR_API int32_t xr_optim_sgd_new(const xr_tensor* params, int32_t n, double lr, double momentum, double dampening,
                                double weight_decay, int32_t nesterov, xr_optimizer* out);
XR_API int32_t xr_optim_adam_new(const xr_tensor* params, int32_t n, double lr, double beta1, double beta2,
                                 double eps, double weight_decay, int32_t amsgrad, xr_optimizer* out);
XR_API int32_t xr_optim_adamw_new(const xr_tensor* params, int32_t n, double lr, double beta1, double beta2,
                                  double eps, double weight_decay, int32_t amsgrad, xr_optimizer* out);
XR_API int32_t xr_optim_rmsprop_new(const xr_tensor* params, int32_t n, double lr, double alpha, double eps,
                                    double weight_decay, double momentum, int32_t centered, xr_optimizer* out);
XR_API int32_t xr_optim_free(xr_optimizer opt);
XR_API int32_t xr_optim_step(xr_optimizer opt);
XR_API int32_t xr_optim_zero_grad(xr_optimizer opt);
XR_API int32_t xr_optim_get_lr(xr_optimizer opt, double* lr);
XR_API int32_t xr_optim_set_lr(xr_optimizer opt, double lr);
XR_API int32_t xr_optim_state_save(xr_optimizer opt, xr_bytes* out);
XR_API int32_t xr_optim_state_load(xr_optimizer opt, const void* data, int64_t length);

/* ---- bytes and state dictionaries (serialize.cpp) -------------------------------------------- */
XR_API int32_t xr_bytes_data(xr_bytes bytes, const void** data, int64_t* length);
XR_API int32_t xr_bytes_free(xr_bytes bytes);
/* Pickles {name: tensor} the way Python's torch.save(dict) does. */
XR_API int32_t xr_dict_save(const char* const* names, const xr_tensor* tensors, int32_t n, xr_bytes* out);
/* Reads what torch.save wrote for a plain dict of tensors (Python or xr_dict_save). */
XR_API int32_t xr_dict_load(const void* data, int64_t length, xr_dict* out);
XR_API int32_t xr_dict_size(xr_dict dict, int32_t* n);
/* The key stays valid while the dictionary lives. */
XR_API int32_t xr_dict_key(xr_dict dict, int32_t i, const char** key);
XR_API int32_t xr_dict_value(xr_dict dict, int32_t i, xr_tensor* out);
XR_API int32_t xr_dict_free(xr_dict dict);

#ifdef __cplusplus
}
#endif

#endif /* XRAY_NATIVE_H */
