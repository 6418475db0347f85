// A thin C interface over libtorch. Every entry point catches C++ exceptions; a failing call returns a
// failure value (NULL, -1 or false) and leaves libtorch's message in a thread-local slot read by
// `ct_last_error`. All logic lives in Swift: this file only moves handles and values across the boundary.
#ifndef CTORCH_H
#define CTORCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// An owned handle to an `at::Tensor`; free it with `ct_tensor_free`.
typedef struct ct_tensor_s *ct_tensor;
/// A resolved ATen operator (name + overload), valid for the life of the process.
typedef struct ct_op_s *ct_op;

/// The message of the last failed call on this thread, or NULL. Valid until the next failing call.
const char *ct_last_error(void);
void ct_clear_error(void);

// MARK: - Values passed to and returned from operators

typedef enum {
  CT_NONE = 0,
  CT_TENSOR = 1,
  CT_INT = 2,
  CT_DOUBLE = 3,
  CT_BOOL = 4,
  CT_INT_LIST = 5,
  CT_DOUBLE_LIST = 6,
  CT_TENSOR_LIST = 7,
  CT_STRING = 8,
  CT_DEVICE = 9,
} ct_kind;

/// A tagged value. Lists point at caller-owned arrays on input; on output, list arrays are allocated by the
/// shim and released with `ct_free`, and tensors are new owned handles.
typedef struct {
  int32_t kind;
  int64_t i;            // CT_INT, CT_BOOL (0/1), CT_DEVICE (device type: 0 cpu, 1 cuda)
  double d;             // CT_DOUBLE
  int64_t count;        // list length; CT_DEVICE: device index (-1 = current)
  ct_tensor t;          // CT_TENSOR
  const int64_t *ints;  // CT_INT_LIST
  const double *doubles;      // CT_DOUBLE_LIST
  const ct_tensor *tensors;   // CT_TENSOR_LIST
  const char *s;              // CT_STRING
} ct_value;

/// Resolves `aten::NAME.OVERLOAD` (overload "" for the default one). NULL if there is no such operator.
ct_op ct_op_find(const char *name, const char *overload);
/// Number of declared arguments of the operator.
int32_t ct_op_argument_count(ct_op op);
/// Calls the operator through the dispatcher (autograd included). Missing trailing arguments take their
/// schema defaults. Writes up to `capacity` results and their number to `*count`. Returns 0, or -1 on failure.
int32_t ct_op_call(ct_op op, const ct_value *args, int32_t nargs, ct_value *results, int32_t capacity,
                   int32_t *count);

// MARK: - Tensors

void ct_tensor_free(ct_tensor t);
/// A second handle to the same tensor (shares storage and autograd identity).
ct_tensor ct_tensor_share(ct_tensor t);
/// Makes `dst` refer to the tensor `src` refers to (used to move parameters between devices in place).
void ct_tensor_assign(ct_tensor dst, ct_tensor src);
/// A new CPU tensor holding a copy of `data` (dtype: an `at::ScalarType` code).
ct_tensor ct_tensor_from_data(const void *data, const int64_t *shape, int32_t ndim, int32_t dtype);
/// Copies the tensor's elements (any device, any layout) in row-major order into `dst` of `nbytes` bytes.
int32_t ct_tensor_copy_to(ct_tensor t, void *dst, int64_t nbytes);
/// Pointer to the first element of a contiguous CPU tensor, else NULL with an error.
void *ct_tensor_data_ptr(ct_tensor t);
int32_t ct_tensor_dim(ct_tensor t);
/// Writes `dim` sizes into `out`.
void ct_tensor_sizes(ct_tensor t, int64_t *out);
int32_t ct_tensor_dtype(ct_tensor t);
int64_t ct_tensor_numel(ct_tensor t);
bool ct_tensor_is_contiguous(ct_tensor t);
/// Device type (0 cpu, 1 cuda) and index.
int32_t ct_tensor_device_type(ct_tensor t);
int32_t ct_tensor_device_index(ct_tensor t);
bool ct_tensor_defined(ct_tensor t);
/// A human-readable rendering of the values, as libtorch prints them; release with `ct_free`.
char *ct_tensor_to_string(ct_tensor t);

// MARK: - Autograd

int32_t ct_tensor_set_requires_grad(ct_tensor t, bool required);
bool ct_tensor_requires_grad(ct_tensor t);
bool ct_tensor_is_leaf(ct_tensor t);
/// The accumulated gradient, or NULL (and no error) when there is none.
ct_tensor ct_tensor_grad(ct_tensor t);
/// Replaces the gradient; `grad` NULL removes it.
int32_t ct_tensor_set_grad(ct_tensor t, ct_tensor grad);
/// Back-propagates from `t`; `grad` may be NULL for a scalar.
int32_t ct_tensor_backward(ct_tensor t, ct_tensor grad, bool retain_graph);
bool ct_grad_enabled(void);
void ct_set_grad_enabled(bool enabled);

// MARK: - Runtime

/// Sets libtorch's intra-op thread count. Returns 0, or -1 when libtorch refuses the count.
int32_t ct_set_num_threads(int32_t n);
int32_t ct_get_num_threads(void);
void ct_manual_seed(uint64_t seed);
/// The state of the default CPU generator as a uint8 tensor.
ct_tensor ct_cpu_rng_state(void);
int32_t ct_set_cpu_rng_state(ct_tensor state);
/// libtorch's version, e.g. "1.13.0".
const char *ct_version(void);
/// libtorch's build configuration (compiler, BLAS, OpenMP, CUDA); release with `ct_free`.
char *ct_build_config(void);
/// libtorch's parallel configuration (threads, OpenMP, MKL); release with `ct_free`.
char *ct_parallel_info(void);
bool ct_cuda_available(void);
int32_t ct_cuda_device_count(void);
void ct_cuda_manual_seed_all(uint64_t seed);
/// The CUDA runtime version libtorch was built with (major * 1000 + minor * 10, e.g. 12040), or 0 when this
/// libtorch has no CUDA.
int64_t ct_cuda_runtime_version(void);
/// The cuDNN version libtorch was built with (e.g. 90100 for 9.1.0 in 9.x; 8902 for 8.9.2 in 8.x), or 0 when it
/// has none.
int64_t ct_cudnn_version(void);
void ct_free(void *p);

// MARK: - Autocast (autocast.cpp)

/// Turns autocast on or off for a device type (0 cpu, 1 cuda) on this thread. Returns 0, or -1.
int32_t ct_autocast_set_enabled(int32_t device_type, bool enabled);
bool ct_autocast_is_enabled(int32_t device_type);
/// Sets the lower-precision type (an `at::ScalarType` code) autocast casts to on a device type. Returns 0, or -1.
int32_t ct_autocast_set_dtype(int32_t device_type, int32_t dtype);
/// The lower-precision type autocast casts to on a device type, as an `at::ScalarType` code.
int32_t ct_autocast_dtype(int32_t device_type);
/// Enters an autocast region; returns the new nesting depth.
int32_t ct_autocast_increment_nesting(void);
/// Leaves an autocast region; returns the new nesting depth (0: the outermost region was left).
int32_t ct_autocast_decrement_nesting(void);
/// Drops the weights autocast has cast for the current region.
void ct_autocast_clear_cache(void);

// MARK: - Process groups (distributed.cpp)

/// A member of a c10d Gloo process group with its TCPStore; free it with `ct_group_free`.
typedef struct ct_group_s *ct_group;

/// Whether this build of the shim has libtorch's Gloo process group (it needs Gloo's headers at build time).
bool ct_gloo_available(void);
/// Joins the store of a group of `world` processes as `rank`: rank 0 serves a TCPStore on `port` of `host`, the
/// others connect to it. `timeout_ms` bounds the connection, every store wait and every collective. NULL on failure.
ct_group ct_group_join(const char *host, int32_t port, int32_t rank, int32_t world, int64_t timeout_ms);
/// Connects every pair of ranks through Gloo (after `ct_group_join`), binding to `interface` when given, else to
/// `bind_host` when given, else to the address this machine's hostname resolves to. Returns 0, or -1.
int32_t ct_group_connect(ct_group group, const char *bind_host, const char *interface);
void ct_group_free(ct_group group);
/// Stores `count` bytes under `key` in the group's store. Returns 0, or -1.
int32_t ct_group_store_set(ct_group group, const char *key, const void *bytes, int64_t count);
/// Waits (up to the group's timeout) for `key`, then returns its bytes (release with `ct_free`) and their number
/// in `*count`. NULL on failure or timeout.
void *ct_group_store_get(ct_group group, const char *key, int64_t *count);
/// Sums `count` tensors element-wise across the group, in place, as one coalesced operation. Returns 0, or -1.
int32_t ct_group_all_reduce_sum(ct_group group, const ct_tensor *tensors, int32_t count);
/// Overwrites `count` tensors with rank `root`'s. Returns 0, or -1.
int32_t ct_group_broadcast(ct_group group, const ct_tensor *tensors, int32_t count, int32_t root);
/// Returns when every rank has called it. Returns 0, or -1.
int32_t ct_group_barrier(ct_group group);
/// The element-wise sum of `t` across the group as a new tensor that autograd differentiates: its backward pass
/// sums the incoming gradients across the group the same way. NULL on failure.
ct_tensor ct_group_summed(ct_group group, ct_tensor t);

#ifdef __cplusplus
}
#endif

#endif
