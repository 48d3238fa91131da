// Image I/O and the filters the augmentations need, through OpenCV.
// Pixels cross the ABI as caller-owned uint8 buffers, HWC (interleaved) and RGB order for 3 channels;
// decode_resize can also write CHW (planar) straight into a batch slot, so no copy is needed on the C# side.
#include "common.h"
#include "bytes.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstring>
#include <string>

using namespace xr;

namespace {

enum Format : int32_t { Unknown = 0, Jpeg = 1, Png = 2, Bmp = 3 };

inline uint32_t be16(const uint8_t* p) { return (uint32_t(p[0]) << 8) | p[1]; }
inline uint32_t be32(const uint8_t* p) { return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3]; }
inline int32_t le32(const uint8_t* p) {
    return static_cast<int32_t>(uint32_t(p[0]) | (uint32_t(p[1]) << 8) | (uint32_t(p[2]) << 16) | (uint32_t(p[3]) << 24));
}
inline int32_t le16(const uint8_t* p) { return static_cast<int16_t>(uint16_t(p[0] | (p[1] << 8))); }

struct Header {
    int32_t format = Unknown;
    int64_t width = -1;  // -1: the header is not complete in the bytes given
    int64_t height = -1;
};

// cv::imdecode has no header-only mode, so the dimensions are read here, before any pixel memory is allocated.
Header probe(const uint8_t* p, int64_t n) {
    Header h;
    if (n >= 8 && std::memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0) {
        h.format = Png;
        if (n >= 24 && std::memcmp(p + 12, "IHDR", 4) == 0) {
            h.width = be32(p + 16);
            h.height = be32(p + 20);
        }
        return h;
    }
    if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF) {
        h.format = Jpeg;
        int64_t i = 2;
        while (i + 4 <= n) {
            if (p[i] != 0xFF) return h;  // not a marker: corrupt
            uint8_t m = p[i + 1];
            if (m == 0xFF) { ++i; continue; }  // fill byte
            if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7)) { i += 2; continue; }  // no length
            if (m == 0xD9 || m == 0xDA) return h;  // end of image / start of scan before any frame header
            uint32_t len = be16(p + i + 2);
            bool sof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
            if (sof) {
                if (i + 9 > n) return h;
                h.height = be16(p + i + 5);
                h.width = be16(p + i + 7);
                return h;
            }
            i += 2 + len;
        }
        return h;
    }
    if (n >= 2 && p[0] == 'B' && p[1] == 'M') {
        h.format = Bmp;
        if (n >= 26) {
            int32_t dib = le32(p + 14);
            if (dib == 12) {
                h.width = le16(p + 18);
                h.height = le16(p + 20);
            } else {
                h.width = le32(p + 18);
                h.height = le32(p + 22);
            }
            if (h.height < 0) h.height = -h.height;  // top-down bitmap
            if (h.width < 0) h.width = -h.width;
        }
        return h;
    }
    return h;
}

void check_limit(int64_t width, int64_t height, int64_t max_pixels) {
    if (max_pixels > 0 && width * height > max_pixels)
        throw ArgumentError("the image is " + std::to_string(width) + "x" + std::to_string(height) + " = " +
                            std::to_string(width * height) + " pixels, over the limit of " + std::to_string(max_pixels) +
                            " (a decompression bomb or an unusually large scan); raise the pixel limit if you trust the file");
}

// Decodes to 8-bit gray or RGB (or OpenCV's BGR when `rgb` is false, for callers that reorder later on fewer pixels).
// IMREAD_GRAYSCALE / IMREAD_COLOR already fold alpha and 16-bit depth into 8 bits.
cv::Mat decode(const void* data, int64_t length, int32_t channels, int64_t max_pixels, bool rgb = true) {
    if (data == nullptr || length <= 0) throw ArgumentError("the file is empty (0 bytes)");
    if (channels != 1 && channels != 3) throw ArgumentError("channels must be 1 (grayscale) or 3 (RGB), got " + std::to_string(channels));
    auto header = probe(static_cast<const uint8_t*>(data), length);
    if (header.format != Unknown) {
        if (header.width <= 0 || header.height <= 0)
            throw ArgumentError("the image header is damaged or truncated (no valid width and height)");
        check_limit(header.width, header.height, max_pixels);
    }
    cv::Mat raw(1, static_cast<int>(length), CV_8UC1, const_cast<void*>(data));
    cv::Mat img = cv::imdecode(raw, channels == 1 ? cv::IMREAD_GRAYSCALE : cv::IMREAD_COLOR);
    if (img.empty()) throw ArgumentError("OpenCV could not decode the data: not an image, or a corrupt or truncated one");
    // Formats whose header we do not parse (TIFF, WebP, PNM...) are checked after decoding; OpenCV's own
    // CV_IO_MAX_IMAGE_PIXELS (2^30 by default) bounds them meanwhile.
    if (header.format == Unknown) check_limit(img.cols, img.rows, max_pixels);
    if (channels == 3 && rgb) cv::cvtColor(img, img, cv::COLOR_BGR2RGB);
    return img;
}

int interpolation(int32_t code, int src_w, int src_h, int dst_w, int dst_h) {
    if (code >= 0) {
        if (code != cv::INTER_NEAREST && code != cv::INTER_LINEAR && code != cv::INTER_CUBIC && code != cv::INTER_AREA)
            throw ArgumentError("unknown interpolation " + std::to_string(code));
        return code;
    }
    // Auto: area averaging when shrinking (no aliasing of rib edges), bilinear when enlarging,
    // which is what OpenCV's documentation recommends and OpenCV-Python users pick.
    return (dst_w < src_w || dst_h < src_h) ? cv::INTER_AREA : cv::INTER_LINEAR;
}

cv::Mat wrap(const uint8_t* p, int32_t h, int32_t w, int32_t c) {
    require(p, "source pixels");
    if (h <= 0 || w <= 0) throw ArgumentError("image size must be positive, got " + std::to_string(w) + "x" + std::to_string(h));
    if (c != 1 && c != 3 && c != 4) throw ArgumentError("channels must be 1, 3 or 4, got " + std::to_string(c));
    return cv::Mat(h, w, CV_8UC(c), const_cast<uint8_t*>(p));
}

cv::Mat wrap_out(uint8_t* p, int32_t h, int32_t w, int32_t c) {
    require(p, "destination pixels");
    if (h <= 0 || w <= 0) throw ArgumentError("output size must be positive, got " + std::to_string(w) + "x" + std::to_string(h));
    return cv::Mat(h, w, CV_8UC(c), p);
}

// Writes into dst and fails if OpenCV reallocated instead (a size mismatch would otherwise go unnoticed).
void expect_in_place(const cv::Mat& dst, const uint8_t* p) {
    if (dst.data != p) throw ArgumentError("internal error: the output was not written in place");
}

}  // namespace

extern "C" {

int32_t xr_image_probe(const void* data, int64_t length, int32_t* format, int64_t* width, int64_t* height) {
    XR_TRY(
        require(format, "format");
        require(width, "width");
        require(height, "height");
        if (length < 0) throw ArgumentError("negative length");
        Header h = (data == nullptr || length == 0) ? Header{} : probe(static_cast<const uint8_t*>(data), length);
        *format = h.format;
        *width = h.width;
        *height = h.height;
    );
}

int32_t xr_image_decode(const void* data, int64_t length, int32_t channels, int64_t max_pixels, xr_bytes* pixels,
                        int32_t* height, int32_t* width) {
    XR_TRY(
        require(pixels, "pixels");
        require(height, "height");
        require(width, "width");
        cv::Mat img = decode(data, length, channels, max_pixels);
        if (!img.isContinuous()) img = img.clone();
        *pixels = make_bytes(std::string(reinterpret_cast<const char*>(img.data), img.total() * img.elemSize()));
        *height = img.rows;
        *width = img.cols;
    );
}

int32_t xr_image_decode_resize(const void* data, int64_t length, int32_t channels, int64_t max_pixels, int32_t height,
                               int32_t width, int32_t interp, int32_t planar, uint8_t* out, int64_t out_length) {
    XR_TRY(
        require(out, "output buffer");
        if (height <= 0 || width <= 0) throw ArgumentError("target size must be positive");
        int64_t need = int64_t(height) * width * channels;
        if (out_length != need) throw ArgumentError("output buffer holds " + std::to_string(out_length) + " bytes, need " + std::to_string(need));
        // Kept in OpenCV's BGR: swapping to RGB commutes with resizing, so it is done on the small output (or folded
        // into the planar split) instead of on the full-size scan, as the hot path of every uncached epoch.
        cv::Mat img = decode(data, length, channels, max_pixels, /*rgb=*/false);
        int mode = interpolation(interp, img.cols, img.rows, width, height);
        if (channels == 1 || !planar) {
            cv::Mat dst(height, width, CV_8UC(channels), out);
            if (img.rows == height && img.cols == width) img.copyTo(dst);
            else cv::resize(img, dst, dst.size(), 0, 0, mode);
            if (channels == 3) cv::cvtColor(dst, dst, cv::COLOR_BGR2RGB);  // in place
            expect_in_place(dst, out);
        } else {
            cv::Mat resized;
            if (img.rows == height && img.cols == width) resized = img;
            else cv::resize(img, resized, cv::Size(width, height), 0, 0, mode);
            // BGR channel c goes to RGB plane (channels - 1 - c): the split writes R, G, B planes directly.
            std::vector<cv::Mat> planes;
            for (int c = 0; c < channels; ++c)
                planes.emplace_back(height, width, CV_8UC1, out + int64_t(channels - 1 - c) * height * width);
            cv::split(resized, planes);
            for (int c = 0; c < channels; ++c) expect_in_place(planes[c], out + int64_t(channels - 1 - c) * height * width);
        }
    );
}

int32_t xr_image_resize(const uint8_t* src, int32_t h, int32_t w, int32_t c, int32_t dh, int32_t dw, int32_t interp, uint8_t* dst) {
    XR_TRY(
        cv::Mat s = wrap(src, h, w, c);
        cv::Mat d = wrap_out(dst, dh, dw, c);
        cv::resize(s, d, d.size(), 0, 0, interpolation(interp, w, h, dw, dh));
        expect_in_place(d, dst);
    );
}

// format 1 = JPEG (quality 0..100), 2 = PNG (quality ignored; default compression).
int32_t xr_image_encode(const uint8_t* src, int32_t h, int32_t w, int32_t c, int32_t format, int32_t quality, xr_bytes* out) {
    XR_TRY(
        require(out, "out");
        cv::Mat s = wrap(src, h, w, c);
        cv::Mat bgr;
        if (c == 3) cv::cvtColor(s, bgr, cv::COLOR_RGB2BGR);
        else if (c == 4) cv::cvtColor(s, bgr, cv::COLOR_RGBA2BGRA);
        else bgr = s;
        std::vector<uchar> buffer;
        std::vector<int> params;
        const char* ext;
        if (format == Jpeg) {
            if (quality < 0 || quality > 100) throw ArgumentError("JPEG quality must be 0..100, got " + std::to_string(quality));
            ext = ".jpg";
            params = {cv::IMWRITE_JPEG_QUALITY, quality};
        } else if (format == Png) {
            ext = ".png";
        } else {
            throw ArgumentError("unknown encode format " + std::to_string(format) + " (1 JPEG, 2 PNG)");
        }
        if (!cv::imencode(ext, bgr, buffer, params)) throw ArgumentError("OpenCV could not encode the image");
        *out = make_bytes(std::string(buffer.begin(), buffer.end()));
    );
}

// cv::filter2D with ddepth -1: the result is rounded and saturated to uint8, borders BORDER_REFLECT_101,
// exactly as cv2.filter2D(img, -1, kernel) in the blog.
int32_t xr_image_filter2d(const uint8_t* src, int32_t h, int32_t w, int32_t c, const float* kernel, int32_t kh, int32_t kw, uint8_t* dst) {
    XR_TRY(
        require(kernel, "kernel");
        if (kh <= 0 || kw <= 0) throw ArgumentError("kernel size must be positive");
        cv::Mat s = wrap(src, h, w, c);
        cv::Mat d = wrap_out(dst, h, w, c);
        cv::Mat k(kh, kw, CV_32F, const_cast<float*>(kernel));
        cv::filter2D(s, d, -1, k);
        expect_in_place(d, dst);
    );
}

// Edges as 0/255 in a single-channel h*w output. A multi-channel input takes the strongest gradient over channels,
// as cv2.Canny does on the blog's 3-channel images.
int32_t xr_image_canny(const uint8_t* src, int32_t h, int32_t w, int32_t c, double low, double high, uint8_t* dst) {
    XR_TRY(
        cv::Mat s = wrap(src, h, w, c);
        cv::Mat d = wrap_out(dst, h, w, 1);
        cv::Canny(s, d, low, high);
        expect_in_place(d, dst);
    );
}

// m maps OUTPUT to INPUT coordinates (WARP_INVERSE_MAP), as Keras' apply_affine_transform does.
// border_mode uses cv::BorderTypes: 0 constant, 1 replicate (Keras fill_mode 'nearest'), 2 reflect, 3 wrap, 4 reflect101.
int32_t xr_image_warp_affine(const uint8_t* src, int32_t h, int32_t w, int32_t c, const double* m, int32_t dh, int32_t dw,
                             int32_t interp, int32_t border_mode, double border_value, uint8_t* dst) {
    XR_TRY(
        require(m, "matrix");
        if (border_mode < 0 || border_mode > 4) throw ArgumentError("unknown border mode " + std::to_string(border_mode));
        if (interp < 0) interp = cv::INTER_LINEAR;
        cv::Mat s = wrap(src, h, w, c);
        cv::Mat d = wrap_out(dst, dh, dw, c);
        cv::Mat matrix(2, 3, CV_64F, const_cast<double*>(m));
        cv::warpAffine(s, d, matrix, d.size(), interp | cv::WARP_INVERSE_MAP, border_mode, cv::Scalar::all(border_value));
        expect_in_place(d, dst);
    );
}

// code as cv::flip: 0 vertical (around the x axis), 1 horizontal, -1 both.
int32_t xr_image_flip(const uint8_t* src, int32_t h, int32_t w, int32_t c, int32_t code, uint8_t* dst) {
    XR_TRY(
        cv::Mat s = wrap(src, h, w, c);
        cv::Mat d = wrap_out(dst, h, w, c);
        cv::flip(s, d, code);
        expect_in_place(d, dst);
    );
}

int32_t xr_image_set_num_threads(int32_t n) { XR_TRY(cv::setNumThreads(n);); }

}  // extern "C"
