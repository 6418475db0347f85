// Error slot shared by the shim's translation units.
#pragma once
#include <c10/util/Exception.h>
#include <exception>
#include <string>

namespace ctorch {
void set_error(const std::string &message);
}

/// Runs BODY; on a C++ exception stores its message and returns FAIL. libtorch's own errors are stored without
/// the C++ backtrace their `what()` appends, so the message is the sentence a user can read.
#define CT_GUARD(FAIL, BODY)                                  \
  try {                                                       \
    BODY                                                      \
  } catch (const c10::Error &e) {                             \
    ctorch::set_error(e.what_without_backtrace());            \
    return FAIL;                                              \
  } catch (const std::exception &e) {                         \
    ctorch::set_error(e.what());                              \
    return FAIL;                                              \
  } catch (...) {                                             \
    ctorch::set_error("unknown C++ exception from libtorch"); \
    return FAIL;                                              \
  }
