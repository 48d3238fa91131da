#!/usr/bin/env bash
# Packs what bench/gpu/run.sh needs on a CUDA machine that has no .NET SDK and no package registry:
#   - this machine's .NET runtime (the dotnet host and the shared frameworks XRay.Bench runs on);
#   - XRay.Bench's Release output, without the CPU libtorch and without OpenCV's native library: the GPU machine's own
#     CUDA libtorch stands in for TorchSharp's (bench/README.md, "GPU check", says why and what that means), and the
#     GPU check renders its images in memory, so it never decodes a file.
# Writes artifacts/gpu/xray-gpu.tar.xz (about 45 MB; a device call carries at most 64 MiB). With TORCHSHARP_GIT, the
# git directory of a dotnet/TorchSharp clone whose HEAD is the release we reference (0.107.0), it also writes
# artifacts/gpu/torchsharp-native.tar.gz, TorchSharp's C++ sources (src/Native), so that run.sh can build
# libLibTorchSharp.so against the GPU machine's libtorch. They are packed, never committed: this repository holds no C++.
#
#   [TORCHSHARP_GIT=...] bench/gpu/pack.sh        build, then pack
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v xz >/dev/null || { echo "error: pack.sh needs xz (Debian: apt-get install xz-utils)" >&2; exit 1; }

./build.sh build
app=artifacts/bin/XRay.Bench/release
dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

mkdir -p "$stage/app/runtimes/linux-x64/native" "$stage/dotnet/shared"
cp "$app"/*.dll "$app"/*.json "$stage/app/"
cp "$app"/runtimes/linux-x64/native/{libLibTorchSharp.so,libe_sqlite3.so} "$stage/app/runtimes/linux-x64/native/"
cp -a "$dotnet_root/dotnet" "$dotnet_root/host" "$stage/dotnet/"
for framework in Microsoft.NETCore.App Microsoft.AspNetCore.App; do
  cp -a "$dotnet_root/shared/$framework" "$stage/dotnet/shared/"
done

mkdir -p artifacts/gpu
rm -f artifacts/gpu/torchsharp-native.tar.gz
if [ -n "${TORCHSHARP_GIT:-}" ]; then
  version=$(git --git-dir="$TORCHSHARP_GIT" show HEAD:build/BranchInfo.props | sed -n 's:.*<\(Major\|Minor\|Patch\)Version>\([0-9]*\)<.*:\2:p' | paste -sd.)
  package=$(sed -n 's:.*"TorchSharp-cpu" Version="\([^"]*\)".*:\1:p' Directory.Packages.props)
  if [ "$version" != "$package" ]; then
    echo "error: $TORCHSHARP_GIT is TorchSharp $version at HEAD; the packages are $package" >&2
    exit 1
  fi
  git --git-dir="$TORCHSHARP_GIT" archive --format=tar.gz -o artifacts/gpu/torchsharp-native.tar.gz HEAD src/Native
  echo "artifacts/gpu/torchsharp-native.tar.gz: TorchSharp $version's src/Native"
fi
tar -C "$stage" -cf - app dotnet | xz -T0 -6 > artifacts/gpu/xray-gpu.tar.xz.part
mv artifacts/gpu/xray-gpu.tar.xz.part artifacts/gpu/xray-gpu.tar.xz
size=$(stat -c %s artifacts/gpu/xray-gpu.tar.xz)
echo "artifacts/gpu/xray-gpu.tar.xz: $((size / 1048576)) MiB"
if (( size > 60 * 1048576 )); then
  echo "error: over 60 MiB; a device call carries at most 64 MiB with the working tree" >&2
  exit 1
fi
