// Error slot shared by the shim's translation units.
#pragma once
#include <string>
#include <exception>

namespace ctorch {
void set_error(const std::string &message);
}

/// Runs BODY; on a C++ exception stores its message and returns FAIL.
#define CT_GUARD(FAIL, BODY)                                  \
  try {                                                       \
    BODY                                                      \
  } catch (const std::exception &e) {                         \
    ctorch::set_error(e.what());                              \
    return FAIL;                                              \
  } catch (...) {                                             \
    ctorch::set_error("unknown C++ exception from libtorch"); \
    return FAIL;                                              \
  }
