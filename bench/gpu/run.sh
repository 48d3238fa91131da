#!/usr/bin/env bash
# The GPU check (bench/README.md, "GPU check"). Runs on a CUDA machine from the repo root, with what bench/gpu/pack.sh
# packed here: no .NET SDK and no registry are needed there. TorchSharp's CUDA packages are not served to us, so the
# machine's own CUDA libtorch (the one its python3's PyTorch carries) stands in for them:
#   1. if the TorchSharp native sources were packed and cmake and a C++ compiler are there, libLibTorchSharp.so is
#      built against that libtorch; otherwise the packed one (built for libtorch 2.10) is used, after a check of which
#      of its symbols that libtorch lacks;
#   2. `xray info`'s facts;
#   3. "fit": seed 002's CNN trained for 3 epochs through Trainer.Fit on the GPU (validation, checkpoint, run log), the
#      checkpoint evaluated on the CPU, one epoch resumed on the GPU; the same run on the machine's CPU cores;
#   4. "transfer": the same for TorchVision's mobilenet_v2 (seed 001's head; features frozen, then all trained) and
#      vgg19 (frozen) at 224²;
#   5. "steps": training and inference steps, ours and PyTorch-Python's on the same GPU.
# Results: $OUT/results.jsonl (one JSON line per step) and $OUT/log.txt.
#
#   OUT=... bench/gpu/run.sh     environment: DEVICE (cuda), LIBTORCH_DIR (python3's torch/lib), PYTHON (python3),
#                                ONLY (which of fit, transfer, steps, precision to run; all by default)
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=${OUT:-artifacts/gpu/out}
DEVICE=${DEVICE:-cuda}
PYTHON=${PYTHON:-python3}
ONLY=${ONLY:-fit transfer steps precision}
mkdir -p "$OUT"
exec > >(tee "$OUT/log.txt") 2>&1
step() { printf '\n==> %s\n' "$*"; }
results=$OUT/results.jsonl
: > "$results"

step "machine"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || echo "no nvidia-smi"
echo "cores: $(nproc)"
"$PYTHON" -c 'import torch; print("PyTorch", torch.__version__, "CUDA", torch.version.cuda, "cuDNN", torch.backends.cudnn.version(), "GPU seen:", torch.cuda.is_available())'
LIBTORCH_DIR=${LIBTORCH_DIR:-$("$PYTHON" -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')}
echo "libtorch: $LIBTORCH_DIR"

step "unpacking artifacts/gpu/xray-gpu.tar.xz"
root=/tmp/xray-gpu
rm -rf "$root" && mkdir -p "$root"
"$PYTHON" - "$root" <<'PY' || exit 1
import sys, tarfile
# filter="tar" (Python 3.12's wish; older ones lack it) keeps permissions and refuses paths out of the folder.
extra = {"filter": "tar"} if hasattr(tarfile, "tar_filter") else {}
tarfile.open("artifacts/gpu/xray-gpu.tar.xz").extractall(sys.argv[1], **extra)
PY
native=$root/app/runtimes/linux-x64/native
packed=$native/libLibTorchSharp.so

step "the packed libLibTorchSharp.so (built for libtorch 2.10) against this libtorch"
if command -v nm >/dev/null; then
  nm -D --undefined-only "$packed" | awk '$1 == "U" {print $2}' | sed 's/@.*//' | sort -u > "$root/needed"
  for lib in "$LIBTORCH_DIR"/lib{torch,torch_cpu,torch_cuda,c10,c10_cuda}.so $(ldconfig -p | awk '/(lib(stdc\+\+|c|m|gcc_s)\.so\.[0-9]+|ld-linux-x86-64\.so\.2) .*x86-64/ {print $NF}'); do
    [ -e "$lib" ] && nm -D --defined-only "$lib" | awk '{print $3}'
  done | sed 's/@.*//' | sort -u > "$root/defined"
  comm -23 "$root/needed" "$root/defined" > "$OUT/missing-symbols.txt"
  echo "$(wc -l < "$root/needed") symbols needed, $(wc -l < "$OUT/missing-symbols.txt") not in this libtorch:"
  head -15 "$OUT/missing-symbols.txt" | c++filt
else
  echo "no nm here: not checked"
fi

built=no
if [ -f artifacts/gpu/torchsharp-native.tar.gz ] && command -v cmake >/dev/null && command -v c++ >/dev/null; then
  step "building libLibTorchSharp.so (TorchSharp 0.107.0's sources) against this libtorch"
  src=$root/torchsharp
  mkdir -p "$src" && tar -C "$src" -xzf artifacts/gpu/torchsharp-native.tar.gz
  # TorchSharp builds with -Werror against the libtorch it ships; a newer libtorch's headers may warn.
  sed -i 's/add_definitions(-Werror)/# -Werror dropped: another libtorch than TorchSharp ships/' "$src/src/Native/CMakeLists.txt"
  prefix=$("$PYTHON" -c 'import torch.utils; print(torch.utils.cmake_prefix_path)')
  if timeout 60 cmake -S "$src/src/Native" -B "$src/build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" \
       -DLIBTORCH_PATH="$prefix/Torch" > "$OUT/native-cmake.log" 2>&1 \
     && timeout 240 cmake --build "$src/build" -j "$(nproc)" > "$OUT/native-build.log" 2>&1; then
    cp "$packed" "$packed.packed"
    cp "$(find "$src/build" -name libLibTorchSharp.so | head -1)" "$packed" && built=yes
  else
    echo "the build failed; tail of its log:"; tail -25 "$OUT/native-cmake.log" "$OUT/native-build.log" 2>/dev/null
  fi
fi
echo "libLibTorchSharp.so built here: $built"

export DOTNET_ROOT=$root/dotnet DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
export LD_LIBRARY_PATH=$LIBTORCH_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
ours=("$DOTNET_ROOT/dotnet" "$root/app/XRay.Bench.dll")
theirs=("$PYTHON" bench/python/reference.py)

# One step: its name, a time limit, the command; the command's last stdout line (its JSON) goes to results.jsonl.
run() {
  local name=$1 limit=$2 line status
  shift 2
  step "$name"
  line=$(timeout "$limit" "$@" | tail -1)
  status=$?
  if [ $status -eq 0 ] && [ "${line:0:1}" = "{" ]; then
    echo "$line"
    echo "{\"name\": \"$name\", \"result\": $line}" >> "$results"
  else
    echo "FAILED (exit $status)"
    echo "{\"name\": \"$name\", \"failed\": $status}" >> "$results"
  fi
}

if [ $built = yes ] && ! timeout 120 "${ours[@]}" info; then
  echo "the library built here does not load or run; back to the packed one"
  cp "$packed.packed" "$packed" && built="yes, but it failed; packed one used"
fi
echo "{\"name\": \"native\", \"result\": {\"built_here\": \"$built\", \"missing_symbols_of_packed\": $(wc -l < "$OUT/missing-symbols.txt" 2>/dev/null || echo null)}}" >> "$results"

cores=$(nproc)
run "info" 120 "${ours[@]}" info
wanted() { [[ " $ONLY " == *" $1 "* ]]; }
if wanted fit; then
  run "fit $DEVICE 1ch 150px" 300 "${ours[@]}" case fit --device "$DEVICE" --threads "$cores" --size 150 --channels 1 --batch 32 \
    --per-class 1000 --val-per-class 200 --epochs 3 --out "$root/fit-$DEVICE"
  run "fit cpu 1ch 150px" 300 "${ours[@]}" case fit --device cpu --threads "$cores" --size 150 --channels 1 --batch 32 \
    --per-class 1000 --val-per-class 200 --epochs 3 --out "$root/fit-cpu"
fi
if wanted transfer; then
  for model in "mobilenet-v2 true" "mobilenet-v2 false" "vgg19 true"; do
    read -r arch freeze <<< "$model"
    run "fit $DEVICE 3ch 224px $arch frozen=$freeze" 300 "${ours[@]}" case fit --device "$DEVICE" --threads "$cores" --size 224 \
      --channels 3 --batch 32 --per-class 500 --val-per-class 100 --epochs 2 --arch "$arch" --freeze "$freeze" --out "$root/fit-$arch-$freeze"
  done
fi
if wanted steps; then
  # Batch 32 as the blogs train; 256 where a GPU has work enough per step to show its speed rather than launch costs.
  for shape in "1 32" "3 32" "1 256"; do
    read -r channels batch <<< "$shape"
    args=(--device "$DEVICE" --threads "$cores" --channels "$channels" --size 150 --batch "$batch" --warmup 5 --intervals 7)
    run "train ${channels}ch b$batch ours" 120 "${ours[@]}" case train "${args[@]}" --steps 10 --formats nchw,channels_last,default
    run "train ${channels}ch b$batch pytorch" 120 "${theirs[@]}" train "${args[@]}" --steps 10 --formats nchw,channels_last
    run "infer ${channels}ch b$batch ours" 120 "${ours[@]}" case infer "${args[@]}" --steps 20 --formats nchw,channels_last,default
    run "infer ${channels}ch b$batch pytorch" 120 "${theirs[@]}" infer "${args[@]}" --steps 20 --formats nchw,channels_last
  done
fi
if wanted precision; then
  # Issue 23: bf16 and fp16 autocast (fp16 with loss scaling on both sides) against fp32, ours and PyTorch's, same card.
  for precision in fp32 bf16 fp16; do
    args=(--device "$DEVICE" --threads "$cores" --channels 3 --size 150 --batch 256 --warmup 5 --intervals 7 --precision "$precision")
    run "train 3ch b256 $precision ours" 120 "${ours[@]}" case train "${args[@]}" --steps 10 --formats channels_last,default
    run "train 3ch b256 $precision pytorch" 120 "${theirs[@]}" train "${args[@]}" --steps 10 --formats nchw,channels_last
  done
fi

step "summary"
"$PYTHON" - "$results" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    res = r.get("result")
    if res is None:
        print(f"{r['name']:32} FAILED"); continue
    if "epochs" in res:
        e = res["epochs"]
        print(f"{r['name']:32} " + ", ".join(f"epoch {x['epoch']}: {x['seconds']:.2f} s ({x['images_per_s']:.0f} img/s, val acc {x['val_accuracy']:.3f})" for x in e)
              + f"; checkpoint on the CPU: val loss differs by {res['val_loss_difference_device_vs_cpu']:.2e}; resumed epoch {res['resumed_epoch']['epoch']}: val acc {res['resumed_epoch']['val_accuracy']:.3f}")
    elif any(k in res for k in ("nchw", "default")):
        print(f"{r['name']:32} " + ", ".join(f"{k} {res[k]['images_per_s']:.0f}" for k in ("nchw", "channels_last", "default") if k in res) + " img/s")
    else:
        print(f"{r['name']:32} {json.dumps(res)}")
PY
