#!/usr/bin/env bash
# Makes the synthetic dataset every notebook can run on: no Kaggle account, no network, same bytes for the same seed.
#   data-scripts/synthetic.sh            -> data/synthetic   (3 classes, the prashant268 layout)
#   data-scripts/synthetic.sh 2          -> data/synthetic-2 (NORMAL/PNEUMONIA, the Mooney layout)
set -euo pipefail
source "$(dirname "$0")/xray.sh"
classes=${1:-3}
out="$repo/data/synthetic$([ "$classes" = 2 ] && echo -2 || true)"
xray data synthetic --out "$out" --classes "$classes" --per-class "${PER_CLASS:-200}" --size "${SIZE:-256}" --seed "${SEED:-0}"
xray data stats "$out"
