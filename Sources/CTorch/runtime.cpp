// Process-wide settings: threads, seeds, generator state, version and build information, CUDA presence.
#include "ctorch.h"
#include "error.hpp"
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <ATen/Version.h>
#include <ATen/detail/CUDAHooksInterface.h>
#include <torch/cuda.h>
#include <torch/torch.h>
#include <torch/version.h>

extern "C" {

int32_t ct_set_num_threads(int32_t n) {
  CT_GUARD(-1, {
    at::set_num_threads(n);
    return 0;
  })
}
int32_t ct_get_num_threads(void) { return at::get_num_threads(); }
void ct_manual_seed(uint64_t seed) { torch::manual_seed(seed); }

ct_tensor ct_cpu_rng_state(void) {
  CT_GUARD(nullptr, {
    auto generator = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(generator.mutex());
    return reinterpret_cast<ct_tensor>(new at::Tensor(generator.get_state()));
  })
}

int32_t ct_set_cpu_rng_state(ct_tensor state) {
  CT_GUARD(-1, {
    auto generator = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(generator.mutex());
    generator.set_state(*reinterpret_cast<at::Tensor *>(state));
    return 0;
  })
}

const char *ct_version(void) { return TORCH_VERSION; }
char *ct_build_config(void) { CT_GUARD(nullptr, { return strdup(at::show_config().c_str()); }) }
char *ct_parallel_info(void) { CT_GUARD(nullptr, { return strdup(at::get_parallel_info().c_str()); }) }
bool ct_cuda_available(void) { return torch::cuda::is_available(); }
int32_t ct_cuda_device_count(void) { return static_cast<int32_t>(torch::cuda::device_count()); }
void ct_cuda_manual_seed_all(uint64_t seed) { torch::cuda::manual_seed_all(seed); }

// Without libtorch_cuda the hooks are placeholders that throw: that answer is "no CUDA", not a failure.
int64_t ct_cuda_runtime_version(void) {
  try {
    return at::detail::getCUDAHooks().versionCUDART();
  } catch (...) {
    return 0;
  }
}
int64_t ct_cudnn_version(void) {
  try {
    const auto &hooks = at::detail::getCUDAHooks();
    return hooks.compiledWithCuDNN() ? hooks.versionCuDNN() : 0;
  } catch (...) {
    return 0;
  }
}

}  // extern "C"
