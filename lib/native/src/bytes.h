// A byte buffer handed to the C# side, which copies it and frees it with xr_bytes_free.
#pragma once

#include "xray_native.h"

#include <string>

namespace xr {

struct Bytes {
    std::string data;
};

inline xr_bytes make_bytes(std::string data) { return reinterpret_cast<xr_bytes>(new Bytes{std::move(data)}); }

}  // namespace xr
