#!/usr/bin/env bash
# Configures and builds libxray_native.so into $1 (called by XRay.Torch.csproj).
# CMake's output goes to a log; on failure this prints one line saying what to do.
set -u
src=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: build-native.sh OUTPUT_DIR}
mkdir -p "$out"
# One build folder per libtorch, so switching LIBTORCH_DIR never reuses a stale CMake cache.
key=system
if [ -n "${LIBTORCH_DIR:-}" ]; then key=$(printf '%s' "$LIBTORCH_DIR" | md5sum | cut -c1-12); fi
build="$out/build-$key"
log="$out/native-build.log"

if ! command -v cmake >/dev/null 2>&1 || ! command -v g++ >/dev/null 2>&1; then
  echo "XRAY: cmake or g++ is missing. Run ./build.sh setup (it installs cmake and g++ from Debian)."
  exit 1
fi
# XRAY_CMAKE_ARGS: extra configure arguments (the tests use it to simulate a missing libtorch).
# shellcheck disable=SC2086
if ! cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DLIBTORCH_DIR="${LIBTORCH_DIR:-}" ${XRAY_CMAKE_ARGS:-} >"$log" 2>&1; then
  msg=$(sed -n '/XRAY:/,/^$/p' "$log" | tr -s ' \n' ' ' | sed 's/^ *//;s/ *$//')
  echo "${msg:-XRAY: configuring the native library failed; see $log}"
  exit 1
fi
if ! cmake --build "$build" -j"$(nproc)" >>"$log" 2>&1; then
  first=$(grep -m1 -E 'error:|Error ' "$log" | cut -c1-300)
  echo "XRAY: building the native library failed: ${first:-see the log}. Full log: $log"
  exit 1
fi
cp -f "$build/libxray_native.so" "$out/libxray_native.so.tmp" && mv -f "$out/libxray_native.so.tmp" "$out/libxray_native.so"
