// The version `flowc --version` prints.
#pragma once

namespace flow::driver {

/// Semantic version of the flowc toolchain.
inline constexpr const char* kVersion = "0.1.0";

}  // namespace flow::driver
