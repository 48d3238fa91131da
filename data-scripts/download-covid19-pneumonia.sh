#!/usr/bin/env bash
# Seed 000's dataset: prashant268/chest-xray-covid19-pneumonia -> data/chest-xray-covid19-pneumonia/Data/{train,test}/{COVID19,NORMAL,PNEUMONIA}
# Needs a Kaggle token (~/.kaggle/kaggle.json or KAGGLE_USERNAME/KAGGLE_KEY). About 2 GB; rerun to resume.
set -euo pipefail
source "$(dirname "$0")/xray.sh"
out="$repo/data/chest-xray-covid19-pneumonia"
xray data download --dataset prashant268/chest-xray-covid19-pneumonia --out "$out" "$@"
xray data stats "$out"
