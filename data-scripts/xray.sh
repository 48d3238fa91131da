#!/usr/bin/env bash
# Runs the `xray` command, building it first if needed. Sourced by the other scripts here.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
xray_bin="$repo/artifacts/bin/XRay.Cli/debug/xray"
if [ ! -x "$xray_bin" ]; then
  echo "Building the xray command (first time: a few minutes, it compiles the native library too) ..." >&2
  dotnet build "$repo/lib/XRay.Cli/XRay.Cli.csproj" -v quiet >&2
fi
xray() { "$xray_bin" "$@"; }
