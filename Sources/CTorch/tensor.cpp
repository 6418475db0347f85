// Tensor handles: creation from memory, copies out, metadata and autograd state.
#include "ctorch.h"
#include "error.hpp"
#include <torch/torch.h>
#include <cstring>
#include <sstream>

namespace ctorch {
static thread_local std::string last_error;
static thread_local bool has_error = false;
void set_error(const std::string &message) {
  last_error = message;
  has_error = true;
}
}  // namespace ctorch

static at::Tensor &T(ct_tensor t) { return *reinterpret_cast<at::Tensor *>(t); }
static ct_tensor wrap(at::Tensor t) { return reinterpret_cast<ct_tensor>(new at::Tensor(std::move(t))); }

extern "C" {

const char *ct_last_error(void) { return ctorch::has_error ? ctorch::last_error.c_str() : nullptr; }
void ct_clear_error(void) { ctorch::has_error = false; }

void ct_tensor_free(ct_tensor t) { delete reinterpret_cast<at::Tensor *>(t); }
ct_tensor ct_tensor_share(ct_tensor t) { return wrap(T(t)); }
void ct_tensor_assign(ct_tensor dst, ct_tensor src) { T(dst) = T(src); }

ct_tensor ct_tensor_from_data(const void *data, const int64_t *shape, int32_t ndim, int32_t dtype) {
  CT_GUARD(nullptr, {
    auto options = at::TensorOptions().dtype(static_cast<at::ScalarType>(dtype));
    auto result = at::empty(at::IntArrayRef(shape, ndim), options);
    if (result.numel() > 0) std::memcpy(result.data_ptr(), data, result.nbytes());
    return wrap(std::move(result));
  })
}

int32_t ct_tensor_copy_to(ct_tensor t, void *dst, int64_t nbytes) {
  CT_GUARD(-1, {
    auto source = T(t).detach().to(at::kCPU).contiguous();
    if (static_cast<int64_t>(source.nbytes()) != nbytes)
      throw std::runtime_error("copy_to: destination holds " + std::to_string(nbytes) + " bytes, tensor has " +
                               std::to_string(source.nbytes()));
    if (nbytes > 0) std::memcpy(dst, source.data_ptr(), nbytes);
    return 0;
  })
}

void *ct_tensor_data_ptr(ct_tensor t) {
  CT_GUARD(nullptr, {
    auto &tensor = T(t);
    if (!tensor.device().is_cpu() || !tensor.is_contiguous())
      throw std::runtime_error("data_ptr: the tensor is not a contiguous CPU tensor");
    return tensor.data_ptr();
  })
}

int32_t ct_tensor_dim(ct_tensor t) { return static_cast<int32_t>(T(t).dim()); }
void ct_tensor_sizes(ct_tensor t, int64_t *out) {
  auto sizes = T(t).sizes();
  for (size_t i = 0; i < sizes.size(); i++) out[i] = sizes[i];
}
int32_t ct_tensor_dtype(ct_tensor t) { return static_cast<int32_t>(T(t).scalar_type()); }
int64_t ct_tensor_numel(ct_tensor t) { return T(t).numel(); }
bool ct_tensor_is_contiguous(ct_tensor t) { return T(t).is_contiguous(); }
int32_t ct_tensor_device_type(ct_tensor t) { return T(t).device().is_cuda() ? 1 : 0; }
int32_t ct_tensor_device_index(ct_tensor t) { return T(t).device().index(); }
bool ct_tensor_defined(ct_tensor t) { return T(t).defined(); }

char *ct_tensor_to_string(ct_tensor t) {
  CT_GUARD(nullptr, {
    std::ostringstream stream;
    stream << T(t);
    return strdup(stream.str().c_str());
  })
}

int32_t ct_tensor_set_requires_grad(ct_tensor t, bool required) {
  CT_GUARD(-1, {
    T(t).set_requires_grad(required);
    return 0;
  })
}
bool ct_tensor_requires_grad(ct_tensor t) { return T(t).requires_grad(); }
bool ct_tensor_is_leaf(ct_tensor t) { return T(t).is_leaf(); }

ct_tensor ct_tensor_grad(ct_tensor t) {
  CT_GUARD(nullptr, {
    const auto &grad = T(t).grad();
    return grad.defined() ? wrap(grad) : nullptr;
  })
}

int32_t ct_tensor_set_grad(ct_tensor t, ct_tensor grad) {
  CT_GUARD(-1, {
    T(t).mutable_grad() = grad ? T(grad) : at::Tensor();
    return 0;
  })
}

int32_t ct_tensor_backward(ct_tensor t, ct_tensor grad, bool retain_graph) {
  CT_GUARD(-1, {
    T(t).backward(grad ? T(grad) : at::Tensor(), retain_graph);
    return 0;
  })
}

bool ct_grad_enabled(void) { return at::GradMode::is_enabled(); }
void ct_set_grad_enabled(bool enabled) { at::GradMode::set_enabled(enabled); }

void ct_free(void *p) { free(p); }

}  // extern "C"
