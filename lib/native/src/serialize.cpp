// Byte buffers and {name: tensor} dictionaries in the pickle format Python's torch.save uses.
#include "common.h"
#include "bytes.h"

#include <utility>

using namespace xr;

namespace {
struct Dict {
    std::vector<std::pair<std::string, torch::Tensor>> entries;
};

Dict& D(xr_dict d) {
    if (d == nullptr) throw ArgumentError("dictionary handle is null");
    return *reinterpret_cast<Dict*>(d);
}
}  // namespace

extern "C" {

int32_t xr_bytes_data(xr_bytes bytes, const void** data, int64_t* length) {
    XR_TRY(
        if (bytes == nullptr) throw ArgumentError("bytes handle is null");
        require(data, "data");
        require(length, "length");
        auto& b = *reinterpret_cast<Bytes*>(bytes);
        *data = b.data.data();
        *length = static_cast<int64_t>(b.data.size());
    );
}

int32_t xr_bytes_free(xr_bytes bytes) { XR_TRY(delete reinterpret_cast<Bytes*>(bytes);); }

int32_t xr_dict_save(const char* const* names, const xr_tensor* handles, int32_t n, xr_bytes* out) {
    XR_TRY(
        require(out, "out");
        auto list = tensors(handles, n);
        if (n > 0) require(names, "names");
        c10::Dict<std::string, torch::Tensor> dict;
        for (int32_t i = 0; i < n; ++i) {
            require(names[i], "name");
            // Saved detached, so the file holds values, not autograd history.
            dict.insert(names[i], list[static_cast<size_t>(i)].detach());
        }
        auto pickled = torch::pickle_save(c10::IValue(dict));
        *out = make_bytes(std::string(pickled.begin(), pickled.end()));
    );
}

int32_t xr_dict_load(const void* data, int64_t length, xr_dict* out) {
    XR_TRY(
        require(out, "out");
        if (length <= 0 || data == nullptr) throw ArgumentError("state dict data is empty");
        const char* p = static_cast<const char*>(data);
        auto value = torch::pickle_load(std::vector<char>(p, p + length));
        if (!value.isGenericDict())
            throw ArgumentError("the file does not hold a dictionary of tensors (found " + value.tagKind() +
                                "); save it from Python with torch.save(dict(model.state_dict()), path)");
        auto result = std::make_unique<Dict>();
        for (const auto& entry : value.toGenericDict()) {
            if (!entry.key().isString()) throw ArgumentError("state dict has a key that is not a string");
            if (!entry.value().isTensor())
                throw ArgumentError("state dict entry '" + entry.key().toStringRef() + "' is not a tensor");
            result->entries.emplace_back(entry.key().toStringRef(), entry.value().toTensor());
        }
        *out = reinterpret_cast<xr_dict>(result.release());
    );
}

int32_t xr_dict_size(xr_dict dict, int32_t* n) {
    XR_TRY(require(n, "n"); *n = static_cast<int32_t>(D(dict).entries.size()););
}

int32_t xr_dict_key(xr_dict dict, int32_t i, const char** key) {
    XR_TRY(
        require(key, "key");
        *key = D(dict).entries.at(static_cast<size_t>(i)).first.c_str();
    );
}

int32_t xr_dict_value(xr_dict dict, int32_t i, xr_tensor* out) {
    XR_TRY(put(out, D(dict).entries.at(static_cast<size_t>(i)).second););
}

int32_t xr_dict_free(xr_dict dict) { XR_TRY(delete reinterpret_cast<Dict*>(dict);); }

}  // extern "C"
