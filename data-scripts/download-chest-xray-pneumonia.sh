#!/usr/bin/env bash
# Seeds 002/003's dataset: paultimothymooney/chest-xray-pneumonia -> data/chest-xray-pneumonia/chest_xray/{train,val,test}/{NORMAL,PNEUMONIA}
# Needs a Kaggle token (~/.kaggle/kaggle.json or KAGGLE_USERNAME/KAGGLE_KEY). About 2.3 GB; rerun to resume.
# Its val/ has 16 images: the loader takes a stratified 20% of train instead.
set -euo pipefail
source "$(dirname "$0")/xray.sh"
out="$repo/data/chest-xray-pneumonia"
xray data download --dataset paultimothymooney/chest-xray-pneumonia --out "$out" "$@"
xray data stats "$out"
