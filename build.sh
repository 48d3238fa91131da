#!/usr/bin/env bash
# XRayNotebooks: one entry point for setting up, building, testing and running the tutorial.
#
#   ./build.sh tutorial   set up, build, run every notebook on the built-in synthetic dataset (--kaggle: the
#                         blog's Kaggle data, with a token), write artifacts/tutorial/report.html
#   ./build.sh test       set up, build, run every test; ends with "Tests: N passed, N failed, N skipped"
#   ./build.sh test --fast  the same without the tests marked Parity, Browser, Jupyter, Gpu or Slow (their "Category" trait,
#                         tests/TestSupport/TestCategories.cs; README.md, "Running a subset of the tests")
#   ./build.sh setup      install what is missing (Debian packages), restore NuGet packages and the .NET tools
#   ./build.sh build      setup + build (Release)
#   ./build.sh bench      set up (+ the Python references), build, run the side-by-side benchmark (bench/README.md)
#   ./build.sh jupyter    set up (+ Debian's classic Jupyter Notebook), build, register the repo-local .NET kernel, open
#                         the notebooks at http://127.0.0.1:8888 (JUPYTER_PORT to change it; the URL with its token is printed)
#
# Every command installs what is missing first, and installing is idempotent.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
CONFIG=${CONFIG:-Release}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# System libraries. TorchSharp-cpu and OpenCvSharp's runtime come from NuGet with their native code; OpenCvSharp's
# libOpenCvSharpExtern.so links GTK 3 (and libatomic, libdrm), which a bare Debian lacks; ML.NET's lib_lightgbm.so links
# the OpenMP runtime (libgomp).
BASE_PACKAGES=(libgtk-3-0 libatomic1 libdrm2 libgomp1)
# Jupyter for learners without VS Code: Debian's classic Notebook (6.4) and nbconvert, run by /usr/bin/python3.
JUPYTER_PACKAGES=(jupyter-notebook jupyter-nbconvert)
# Reference implementations the parity tests compare against (h5py writes Keras-layout HDF5 weight files), the browser
# for the chart tests, and Jupyter for its tests.
TEST_PACKAGES=(python3-torch python3-torchvision python3-sklearn python3-scipy python3-opencv python3-h5py chromium "${JUPYTER_PACKAGES[@]}")
# The repo-local Jupyter kernelspecs (JUPYTER_PATH points here; nothing is installed for the user or the system).
JUPYTER_DIR=$ROOT/artifacts/jupyter
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
  if [ "${1:-}" = "jupyter" ]; then install_packages "${JUPYTER_PACKAGES[@]}"; fi
  # plotly.js from npm (package.json): a test checks Plotly.NET embeds the same bytes. Reinstalled when the lock file
  # changes (npm ci records what it installed in node_modules/.package-lock.json).
  if [ ! -f node_modules/plotly.js-dist-min/plotly.min.js ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    command -v npm >/dev/null 2>&1 || install_packages nodejs npm
    log "installing plotly.js (npm)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
  log "restoring NuGet packages"
  dotnet restore XRayNotebooks.sln --nologo -v q
  # The .NET Interactive kernel (.config/dotnet-tools.json), which Jupyter starts as `dotnet interactive`.
  dotnet tool restore >/dev/null
}

# Writes the .NET kernelspecs under $JUPYTER_DIR/kernels. Their argv runs the local tool `dotnet interactive`, which
# resolves only under the manifest's folder: the kernel starts in the notebook's folder, so notebooks inside the repo
# work. --http-local-only: otherwise the kernel's HTTP API listens on every interface. GLIBC_TUNABLES: cells run off
# the kernel's main thread, where glibc would map a training step's blocks over 64 MB afresh every step unless all
# threads share one heap (lib/XRay/Runtime/GlibcAllocator.cs; bench/README.md, "Training off the main thread").
jupyter_kernelspec() {
  mkdir -p "$JUPYTER_DIR/kernels"
  dotnet interactive jupyter install --path "$JUPYTER_DIR/kernels" >/dev/null
  /usr/bin/python3 - "$JUPYTER_DIR"/kernels/.net-*/kernel.json <<'PY'
import json, sys
for path in sys.argv[1:]:
    with open(path) as f:
        spec = json.load(f)
    if "--http-local-only" not in spec["argv"]:
        spec["argv"].append("--http-local-only")
    spec.setdefault("env", {})["GLIBC_TUNABLES"] = "glibc.malloc.arena_max=1"
    with open(path, "w") as f:
        json.dump(spec, f, indent=2)
PY
}

build() {
  log "building ($CONFIG)"
  dotnet build XRayNotebooks.sln -c "$CONFIG" --no-restore --nologo -v q -clp:NoSummary
}

# The categories --fast leaves out (TestCategories.NotFast): Python references, Chromium, Jupyter, a GPU, long runs.
FAST_FILTER="Category!=Parity&Category!=Browser&Category!=Jupyter&Category!=Gpu&Category!=Slow"

run_tests() {
  local out=artifacts/test-output.log status=0 filter=()
  mkdir -p artifacts
  case "${1:-}" in
    "") log "running tests" ;;
    --fast) log "running the fast tests ($FAST_FILTER)"; filter=(--filter "$FAST_FILTER") ;;
    *) echo "error: unknown option '$1' for test (--fast runs the fast subset)" >&2; return 2 ;;
  esac
  set +e
  # --blame: if a test host crashes, the log names the test that was running.
  dotnet test XRayNotebooks.sln -c "$CONFIG" --no-build --nologo --blame "${filter[@]}" 2>&1 | tee "$out"
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
    # A crashed test host ends its assembly early: the tests it never ran are not in any count, so the crash is a failure.
    /Test Run Aborted/ { aborted++ }
    END {
      if (n == 0) { print "error: no test summary found (did the test host crash?)" > "/dev/stderr"; f = (f > 0 ? f : 1) }
      if (aborted > 0) { printf "error: %d test run(s) aborted (a test host crashed; --blame names the test above)\n", aborted > "/dev/stderr"; f += aborted }
      printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s
      exit (f > 0 || n == 0) ? 1 : 0
    }' "$out" || status=1
  return $status
}

tutorial() {
  local xray="artifacts/bin/XRay.Cli/${CONFIG,,}/xray" data out=artifacts/tutorial
  local size=${TUTORIAL_SIZE:-64} epochs=${TUTORIAL_EPOCHS:-12}
  if [ "${1:-}" = "--kaggle" ]; then
    log "downloading the blog's Kaggle dataset (needs a token: see data-scripts/README.md)"
    data-scripts/download-covid19-pneumonia.sh
    data=data/chest-xray-covid19-pneumonia
  else
    data=data/synthetic
    if [ ! -f "$data/README.txt" ]; then
      log "drawing the synthetic dataset into $data"
      "$xray" data synthetic --out "$data" --per-class "${TUTORIAL_PER_CLASS:-150}" --size 128 --seed 0
    fi
  fi
  rm -rf "$out" && mkdir -p "$out"
  local nb name extra
  for nb in notebooks/[0-9][0-9]-*.ipynb; do
    name=$(basename "$nb")
    extra=()
    case "$name" in
      07-*) extra=(-p epochs=6 -p batchSize=16) ;;  # four ImageNet-size networks; 6 epochs show the gap (seed 001: 15, batch 64)
      09-*) extra=(-p imageSize=32 -p epochs=12) ;;   # 11 rows x 3 seeds: 32 px stands for seed 003's 150, 12 epochs for its 40
    esac
    log "running $name"
    "$xray" notebook run "$nb" -o "$out/$name" -p dataDir="$ROOT/$data" -p imageSize="$size" -p epochs="$epochs" \
      -p runsDir="$ROOT/$out/runs" "${extra[@]}"
    # 09 prints whether its baseline learned; a comparison against a baseline at chance would compare noise.
    if [[ "$name" == 09-* ]] && grep -q "NOT above the majority" "$out/$name"; then
      echo "09-experiments: the baseline's mean validation accuracy is not above the majority class; see $out/$name" >&2
      return 1
    fi
  done
  # 07 prints whether ImageNet weights learn faster than the same network from scratch (a higher mean validation
  # accuracy over the epochs); its prose says they do. Which one ends higher varies by machine, and its prose says so.
  if ! grep -q 'pretrainedLearnsFaster: True' "$out/07-transfer-learning.ipynb"; then
    echo "07-transfer-learning: the pretrained row did not learn faster than the same network from scratch; its prose says it does" >&2
    return 1
  fi
  "$xray" notebook report "$out"/[0-9][0-9]-*.ipynb -o "$out/report.html" --title "XRayNotebooks tutorial"
  log "summary: the CNN from 05-training on the test split"
  "$xray" evaluate --checkpoint "$out/runs/05-training/best.pt" --data "$data" --out "$out"
  log "summary: the linear classifier on its features (10-ml-classifiers) on the same split"
  "$xray" evaluate --checkpoint "$out/runs/10-ml-classifiers/linear" --data "$data" --out "$out/runs/10-ml-classifiers/linear"
  echo
  echo "Executed notebooks: $out/*.ipynb   Report: $out/report.html"
}

# The classic Notebook on 127.0.0.1 only, serving notebooks/ (outputs a learner saves stay in their copy of the repo).
jupyter_notebook() {
  local port=${JUPYTER_PORT:-8888} token root=()
  [ "$(id -u)" -eq 0 ] && root=(--allow-root)   # containers run as root; the Notebook refuses that unless told
  token=${JUPYTER_TOKEN:-$(/usr/bin/python3 -c 'import secrets; print(secrets.token_hex(24))')}
  log "Jupyter Notebook with the .NET (C#) kernel: http://127.0.0.1:$port/tree?token=$token   (Ctrl+C stops it)"
  JUPYTER_PATH="$JUPYTER_DIR" exec /usr/bin/python3 -m notebook --no-browser --ip=127.0.0.1 --port="$port" \
    --NotebookApp.port_retries=0 --NotebookApp.token="$token" --notebook-dir="$ROOT/notebooks" "${root[@]}"
}

# Never part of test or CI: it takes minutes, and its numbers only mean something on a quiet machine.
bench() {
  log "benchmark: ours vs PyTorch-Python and OpenCV-Python (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  "artifacts/bin/XRay.Bench/${CONFIG,,}/XRay.Bench" run --out artifacts/bench "$@"
}

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; }

case "${1:-}" in
  setup) setup "${2:-}" ;;
  build) setup; build ;;
  test) setup test; build; jupyter_kernelspec; run_tests "${2:-}" ;;
  tutorial) setup; build; tutorial "${2:-}" ;;
  bench) setup bench; build; shift; bench "$@" ;;
  jupyter) setup jupyter; build; jupyter_kernelspec; jupyter_notebook ;;
  -h|--help|help|"") usage ;;
  *) echo "error: unknown command '$1'" >&2; usage >&2; exit 2 ;;
esac
