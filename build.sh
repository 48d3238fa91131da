#!/usr/bin/env bash
# XRayNotebooks: one entry point for setting up, building, testing and running the tutorial.
#
#   ./build.sh tutorial   set up, build, run the main job on the built-in synthetic dataset
#   ./build.sh test       set up, build, run every test; ends with "Tests: N passed, N failed, N skipped"
#   ./build.sh setup      install what is missing (Debian packages), restore NuGet packages
#   ./build.sh build      setup + build (Release)
#   ./build.sh bench      set up (+ the Python references), build, run the side-by-side benchmark (bench/README.md)
#
# Every command installs what is missing first, and installing is idempotent.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
CONFIG=${CONFIG:-Release}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Native dependencies. libopenblas0-openmp matters: without it libtorch falls back to reference BLAS (~2x slower).
BASE_PACKAGES=(libtorch-dev libopencv-dev libopenblas0-openmp cmake g++)
# Reference implementations the parity tests compare against, and the browser for the chart tests.
TEST_PACKAGES=(python3-torch python3-torchvision python3-sklearn python3-opencv chromium)
# What the benchmark runs beside ours: PyTorch-Python (same libtorch build) and OpenCV-Python, as /usr/bin/python3 sees them.
BENCH_PACKAGES=(python3-torch python3-torchvision python3-opencv python3-numpy)

log() { printf '\033[1m==> %s\033[0m\n' "$*"; }

missing_packages() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || printf '%s\n' "$p"
  done
}

install_packages() {
  local missing
  mapfile -t missing < <(missing_packages "$@")
  [ ${#missing[@]} -eq 0 ] && return 0
  local apt=()
  if [ "$(id -u)" -eq 0 ]; then apt=(apt-get)
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then apt=(sudo apt-get)
  else
    echo "error: these Debian packages are missing: ${missing[*]}" >&2
    echo "       run as root, or: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive "${apt[@]}" update -qq
  DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

setup() {
  command -v dotnet >/dev/null 2>&1 || { echo "error: the .NET SDK 10 is required (dotnet not on PATH)" >&2; exit 1; }
  install_packages "${BASE_PACKAGES[@]}"
  if [ "${1:-}" = "test" ]; then install_packages "${TEST_PACKAGES[@]}"; fi
  if [ "${1:-}" = "bench" ]; then install_packages "${BENCH_PACKAGES[@]}"; fi
  # plotly.js from npm (package.json): the HTML report inlines it and the browser tests serve it locally.
  if [ ! -f node_modules/plotly.js-dist-min/plotly.min.js ]; then
    command -v npm >/dev/null 2>&1 || install_packages nodejs npm
    log "installing plotly.js (npm)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
  log "restoring NuGet packages"
  dotnet restore XRayNotebooks.sln --nologo -v q
}

build() {
  log "building ($CONFIG)"
  dotnet build XRayNotebooks.sln -c "$CONFIG" --no-restore --nologo -v q -clp:NoSummary
}

run_tests() {
  local out=artifacts/test-output.log status=0
  mkdir -p artifacts
  log "running tests"
  set +e
  dotnet test XRayNotebooks.sln -c "$CONFIG" --no-build --nologo 2>&1 | tee "$out"
  status=${PIPESTATUS[0]}
  set -e
  # Sum the per-assembly summaries: "Passed!  - Failed:     0, Passed:    78, Skipped:     0, Total: ..."
  awk '
    /(Passed|Failed)! +- Failed: / {
      for (i = 1; i <= NF; i++) {
        if ($i == "Failed:")  { f += $(i+1) + 0 }
        if ($i == "Passed:")  { p += $(i+1) + 0 }
        if ($i == "Skipped:") { s += $(i+1) + 0 }
      }
      n++
    }
    END {
      if (n == 0) { print "error: no test summary found (did the test host crash?)" > "/dev/stderr"; f = (f > 0 ? f : 1) }
      printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s
      exit (f > 0 || n == 0) ? 1 : 0
    }' "$out" || status=1
  return $status
}

tutorial() {
  log "engine"
  "artifacts/bin/XRay.Cli/${CONFIG,,}/xray" info
  cat <<'MSG'

The notebooks (dataset, augmentation, preprocessing, CNN, training, evaluation, transfer learning,
feature maps, experiments) and the tutorial run over the synthetic dataset are being built in the
open issues; for now this command sets everything up, builds the library and checks the engine.
MSG
}

# Never part of test or CI: it takes minutes, and its numbers only mean something on a quiet machine.
bench() {
  log "benchmark: ours vs PyTorch-Python and OpenCV-Python (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  "artifacts/bin/XRay.Bench/${CONFIG,,}/XRay.Bench" run --out artifacts/bench "$@"
}

usage() { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; }

case "${1:-}" in
  setup) setup "${2:-}" ;;
  build) setup; build ;;
  test) setup test; build; run_tests ;;
  tutorial) setup; build; tutorial ;;
  bench) setup bench; build; shift; bench "$@" ;;
  -h|--help|help|"") usage ;;
  *) echo "error: unknown command '$1'" >&2; usage >&2; exit 2 ;;
esac
