// Calls any ATen operator by name through the dispatcher, so that the Swift side can reach the whole
// operator library (with autograd) without one C function per operator.
#include "ctorch.h"
#include "error.hpp"
#include <ATen/core/dispatch/Dispatcher.h>
#include <torch/torch.h>
#include <cstring>

static at::Tensor &T(ct_tensor t) { return *reinterpret_cast<at::Tensor *>(t); }
static c10::OperatorHandle &Op(ct_op op) { return *reinterpret_cast<c10::OperatorHandle *>(op); }

static c10::IValue to_ivalue(const ct_value &v, const c10::Argument &argument) {
  switch (v.kind) {
    case CT_NONE: return c10::IValue();
    case CT_TENSOR: return c10::IValue(T(v.t));
    case CT_INT: {
      auto type = argument.type();
      if (type->kind() == c10::TypeKind::FloatType) return c10::IValue(static_cast<double>(v.i));
      if (type->kind() == c10::TypeKind::OptionalType &&
          type->castRaw<c10::OptionalType>()->getElementType()->kind() == c10::TypeKind::FloatType)
        return c10::IValue(static_cast<double>(v.i));
      return c10::IValue(v.i);
    }
    case CT_DOUBLE: return c10::IValue(v.d);
    case CT_BOOL: return c10::IValue(v.i != 0);
    case CT_INT_LIST: return c10::IValue(std::vector<int64_t>(v.ints, v.ints + v.count));
    case CT_DOUBLE_LIST: return c10::IValue(std::vector<double>(v.doubles, v.doubles + v.count));
    case CT_TENSOR_LIST: {
      auto type = argument.type();
      bool optional_elements = type->kind() == c10::TypeKind::ListType &&
                               type->castRaw<c10::ListType>()->getElementType()->kind() ==
                                   c10::TypeKind::OptionalType;
      if (optional_elements) {
        c10::List<c10::optional<at::Tensor>> list;
        for (int64_t i = 0; i < v.count; i++)
          list.push_back(v.tensors[i] ? c10::optional<at::Tensor>(T(v.tensors[i])) : c10::nullopt);
        return c10::IValue(list);
      }
      std::vector<at::Tensor> list;
      list.reserve(v.count);
      for (int64_t i = 0; i < v.count; i++) list.push_back(T(v.tensors[i]));
      return c10::IValue(list);
    }
    case CT_STRING: return c10::IValue(std::string(v.s));
    case CT_DEVICE:
      return c10::IValue(c10::Device(v.i == 1 ? c10::DeviceType::CUDA : c10::DeviceType::CPU,
                                     static_cast<c10::DeviceIndex>(v.count)));
  }
  throw std::runtime_error("unknown value kind " + std::to_string(v.kind));
}

static ct_value empty_value() {
  ct_value v;
  std::memset(&v, 0, sizeof(v));
  return v;
}

static ct_tensor wrap(const at::Tensor &t) { return reinterpret_cast<ct_tensor>(new at::Tensor(t)); }

static ct_value from_ivalue(const c10::IValue &value) {
  ct_value v = empty_value();
  if (value.isTensor()) {
    v.kind = CT_TENSOR;
    v.t = wrap(value.toTensor());
  } else if (value.isTensorList()) {
    auto list = value.toTensorVector();
    auto handles = static_cast<ct_tensor *>(malloc(sizeof(ct_tensor) * std::max<size_t>(list.size(), 1)));
    for (size_t i = 0; i < list.size(); i++) handles[i] = wrap(list[i]);
    v.kind = CT_TENSOR_LIST;
    v.tensors = handles;
    v.count = static_cast<int64_t>(list.size());
  } else if (value.isDouble()) {
    v.kind = CT_DOUBLE;
    v.d = value.toDouble();
  } else if (value.isInt()) {
    v.kind = CT_INT;
    v.i = value.toInt();
  } else if (value.isBool()) {
    v.kind = CT_BOOL;
    v.i = value.toBool();
  } else if (value.isIntList()) {
    auto list = value.toIntVector();
    auto ints = static_cast<int64_t *>(malloc(sizeof(int64_t) * std::max<size_t>(list.size(), 1)));
    std::copy(list.begin(), list.end(), ints);
    v.kind = CT_INT_LIST;
    v.ints = ints;
    v.count = static_cast<int64_t>(list.size());
  } else if (value.isNone()) {
    v.kind = CT_NONE;
  } else {
    throw std::runtime_error("operator returned an unsupported value of type " + value.tagKind());
  }
  return v;
}

extern "C" {

ct_op ct_op_find(const char *name, const char *overload) {
  CT_GUARD(nullptr, {
    auto handle = c10::Dispatcher::singleton().findSchemaOrThrow(name, overload);
    return reinterpret_cast<ct_op>(new c10::OperatorHandle(handle));
  })
}

int32_t ct_op_argument_count(ct_op op) {
  return static_cast<int32_t>(Op(op).schema().arguments().size());
}

int32_t ct_op_call(ct_op op, const ct_value *args, int32_t nargs, ct_value *results, int32_t capacity,
                   int32_t *count) {
  CT_GUARD(-1, {
    auto &handle = Op(op);
    const auto &arguments = handle.schema().arguments();
    if (static_cast<size_t>(nargs) > arguments.size())
      throw std::runtime_error(handle.schema().name() + " takes " + std::to_string(arguments.size()) +
                               " arguments, got " + std::to_string(nargs));
    torch::jit::Stack stack;
    stack.reserve(arguments.size());
    for (int32_t i = 0; i < nargs; i++) stack.emplace_back(to_ivalue(args[i], arguments[i]));
    for (size_t i = nargs; i < arguments.size(); i++) {
      const auto &fallback = arguments[i].default_value();
      if (!fallback) throw std::runtime_error(handle.schema().name() + ": missing argument '" + arguments[i].name() + "'");
      stack.push_back(*fallback);
    }
    handle.callBoxed(&stack);
    if (static_cast<int32_t>(stack.size()) > capacity)
      throw std::runtime_error(handle.schema().name() + " returned " + std::to_string(stack.size()) +
                               " values, room for " + std::to_string(capacity));
    // Report each converted result at once, so that if a later one fails the caller still owns (and frees)
    // the handles already made.
    *count = 0;
    for (size_t i = 0; i < stack.size(); i++) {
      results[i] = from_ivalue(stack[i]);
      *count = static_cast<int32_t>(i + 1);
    }
    return 0;
  })
}

}  // extern "C"
