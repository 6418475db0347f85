// c10d's Gloo process group and TCPStore behind plain C calls: joining, the store, in-place collectives, and one
// differentiable sum. Built with Gloo only when Package.swift finds Gloo's headers (CTORCH_GLOO); otherwise every
// call fails with a sentence saying so. When to communicate, and what, is decided in Swift.
#include "ctorch.h"
#include "error.hpp"
#include <torch/torch.h>
#include <cstring>
#include <stdexcept>

#ifdef CTORCH_GLOO
#define USE_C10D_GLOO 1
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

struct ct_group_s {
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<c10d::ProcessGroupGloo> group;
  std::chrono::milliseconds timeout;
  int rank = 0, world = 1;
};

namespace {
at::Tensor &tensor(ct_tensor t) { return *reinterpret_cast<at::Tensor *>(t); }

std::vector<at::Tensor> tensors(const ct_tensor *handles, int32_t count) {
  std::vector<at::Tensor> list;
  for (int32_t i = 0; i < count; ++i) list.push_back(tensor(handles[i]));
  return list;
}

void sum_in_place(ct_group_s &member, std::vector<at::Tensor> &list) {
  if (list.size() == 1) {
    c10d::AllreduceOptions options;
    options.timeout = member.timeout;
    member.group->allreduce(list, options)->wait(member.timeout);
  } else {
    c10d::AllreduceCoalescedOptions options;
    options.timeout = member.timeout;
    member.group->allreduce_coalesced(list, options)->wait(member.timeout);
  }
}

/// Sum across the group whose backward pass is the same sum of the gradients (torch.distributed.nn's all_reduce).
struct GroupSum : public torch::autograd::Function<GroupSum> {
  static at::Tensor forward(torch::autograd::AutogradContext *context, at::Tensor input, int64_t member) {
    context->saved_data["member"] = member;
    std::vector<at::Tensor> list{input.detach().clone()};
    sum_in_place(*reinterpret_cast<ct_group_s *>(member), list);
    return list[0];
  }
  static torch::autograd::variable_list backward(torch::autograd::AutogradContext *context,
                                                 torch::autograd::variable_list gradients) {
    auto member = reinterpret_cast<ct_group_s *>(context->saved_data["member"].toInt());
    std::vector<at::Tensor> list{gradients[0].contiguous().clone()};
    sum_in_place(*member, list);
    return {list[0], at::Tensor()};
  }
};
}  // namespace

extern "C" {

bool ct_gloo_available(void) { return true; }

ct_group ct_group_join(const char *host, int32_t port, int32_t rank, int32_t world, int64_t timeout_ms) {
  CT_GUARD(nullptr, {
    auto member = std::make_unique<ct_group_s>();
    member->timeout = std::chrono::milliseconds(timeout_ms);
    c10d::TCPStoreOptions options;
    options.port = static_cast<std::uint16_t>(port);
    options.isServer = rank == 0;
    options.numWorkers = static_cast<std::size_t>(world);
    options.waitWorkers = false;
    options.timeout = member->timeout;
    member->store = c10::make_intrusive<c10d::TCPStore>(host, options);
    member->rank = rank;
    member->world = world;
    return member.release();
  })
}

int32_t ct_group_connect(ct_group member, const char *bind_host, const char *interface) {
  CT_GUARD(-1, {
    auto options = c10d::ProcessGroupGloo::Options::create(member->timeout);
    if (interface && *interface) {
      options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(interface));
    } else if (bind_host && *bind_host) {
      options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname(bind_host));
    } else {
      options->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
    }
    options->threads = 1;
    auto prefixed = c10::make_intrusive<c10d::PrefixStore>("gloo", member->store);
    member->group = c10::make_intrusive<c10d::ProcessGroupGloo>(prefixed, member->rank, member->world, options);
    return 0;
  })
}

void ct_group_free(ct_group group) { delete group; }

int32_t ct_group_store_set(ct_group group, const char *key, const void *bytes, int64_t count) {
  CT_GUARD(-1, {
    auto first = static_cast<const uint8_t *>(bytes);
    group->store->set(key, std::vector<uint8_t>(first, first + count));
    return 0;
  })
}

void *ct_group_store_get(ct_group group, const char *key, int64_t *count) {
  CT_GUARD(nullptr, {
    group->store->wait({key}, group->timeout);
    auto value = group->store->get(key);
    void *copy = malloc(value.size() + 1);
    if (!value.empty()) std::memcpy(copy, value.data(), value.size());
    *count = static_cast<int64_t>(value.size());
    return copy;
  })
}

int32_t ct_group_all_reduce_sum(ct_group group, const ct_tensor *handles, int32_t count) {
  CT_GUARD(-1, {
    auto list = tensors(handles, count);
    sum_in_place(*group, list);
    return 0;
  })
}

int32_t ct_group_broadcast(ct_group group, const ct_tensor *handles, int32_t count, int32_t root) {
  CT_GUARD(-1, {
    auto list = tensors(handles, count);
    c10d::BroadcastOptions options;
    options.timeout = group->timeout;
    for (auto &one : list) {
      std::vector<at::Tensor> single{one};
      options.rootRank = root;
      group->group->broadcast(single, options)->wait(group->timeout);
    }
    return 0;
  })
}

int32_t ct_group_barrier(ct_group group) {
  CT_GUARD(-1, {
    c10d::BarrierOptions options;
    options.timeout = group->timeout;
    group->group->barrier(options)->wait(group->timeout);
    return 0;
  })
}

ct_tensor ct_group_summed(ct_group group, ct_tensor t) {
  CT_GUARD(nullptr, {
    auto result = GroupSum::apply(tensor(t), reinterpret_cast<int64_t>(group));
    return reinterpret_cast<ct_tensor>(new at::Tensor(result));
  })
}

}  // extern "C"

#else  // no Gloo headers at build time

struct ct_group_s {};

namespace {
const char *kNoGloo =
    "this build has no Gloo process group: build against Debian's libtorch-dev with libgloo-dev installed";
}

extern "C" {
bool ct_gloo_available(void) { return false; }
ct_group ct_group_join(const char *, int32_t, int32_t, int32_t, int64_t) {
  ctorch::set_error(kNoGloo);
  return nullptr;
}
int32_t ct_group_connect(ct_group, const char *, const char *) {
  ctorch::set_error(kNoGloo);
  return -1;
}
void ct_group_free(ct_group group) { delete group; }
int32_t ct_group_store_set(ct_group, const char *, const void *, int64_t) {
  ctorch::set_error(kNoGloo);
  return -1;
}
void *ct_group_store_get(ct_group, const char *, int64_t *) {
  ctorch::set_error(kNoGloo);
  return nullptr;
}
int32_t ct_group_all_reduce_sum(ct_group, const ct_tensor *, int32_t) {
  ctorch::set_error(kNoGloo);
  return -1;
}
int32_t ct_group_broadcast(ct_group, const ct_tensor *, int32_t, int32_t) {
  ctorch::set_error(kNoGloo);
  return -1;
}
int32_t ct_group_barrier(ct_group) {
  ctorch::set_error(kNoGloo);
  return -1;
}
ct_tensor ct_group_summed(ct_group, ct_tensor) {
  ctorch::set_error(kNoGloo);
  return nullptr;
}
}  // extern "C"

#endif
