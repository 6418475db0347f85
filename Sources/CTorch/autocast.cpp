// Autocast (automatic mixed precision) switches: per device type, whether autocast is on and the lower-precision
// type it casts to, and the nesting count and weight-cast cache of autocast regions. Regions are managed in Swift.
#include "ctorch.h"
#include "error.hpp"
#include <ATen/autocast_mode.h>
#include <torch/version.h>

// libtorch 2.4 replaced the per-device functions (set_cpu_enabled, set_autocast_gpu_dtype, …) with functions taking
// the device type; the old ones are deprecated there.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
#define CT_AUTOCAST_BY_DEVICE_TYPE 1
#endif

namespace {
c10::DeviceType device_type(int32_t code) { return code == 1 ? c10::DeviceType::CUDA : c10::DeviceType::CPU; }
}  // namespace

extern "C" {

int32_t ct_autocast_set_enabled(int32_t device, bool enabled) {
  CT_GUARD(-1, {
#ifdef CT_AUTOCAST_BY_DEVICE_TYPE
    at::autocast::set_autocast_enabled(device_type(device), enabled);
#else
    if (device == 1) {
      at::autocast::set_enabled(enabled);
    } else {
      at::autocast::set_cpu_enabled(enabled);
    }
#endif
    return 0;
  })
}

bool ct_autocast_is_enabled(int32_t device) {
#ifdef CT_AUTOCAST_BY_DEVICE_TYPE
  return at::autocast::is_autocast_enabled(device_type(device));
#else
  return device == 1 ? at::autocast::is_enabled() : at::autocast::is_cpu_enabled();
#endif
}

int32_t ct_autocast_set_dtype(int32_t device, int32_t dtype) {
  CT_GUARD(-1, {
    auto type = static_cast<at::ScalarType>(dtype);
#ifdef CT_AUTOCAST_BY_DEVICE_TYPE
    at::autocast::set_autocast_dtype(device_type(device), type);
#else
    if (device == 1) {
      at::autocast::set_autocast_gpu_dtype(type);
    } else {
      at::autocast::set_autocast_cpu_dtype(type);
    }
#endif
    return 0;
  })
}

int32_t ct_autocast_dtype(int32_t device) {
#ifdef CT_AUTOCAST_BY_DEVICE_TYPE
  return static_cast<int32_t>(at::autocast::get_autocast_dtype(device_type(device)));
#else
  return static_cast<int32_t>(device == 1 ? at::autocast::get_autocast_gpu_dtype()
                                          : at::autocast::get_autocast_cpu_dtype());
#endif
}

int32_t ct_autocast_increment_nesting(void) { return at::autocast::increment_nesting(); }
int32_t ct_autocast_decrement_nesting(void) { return at::autocast::decrement_nesting(); }
void ct_autocast_clear_cache(void) { at::autocast::clear_cache(); }

}  // extern "C"
