#!/usr/bin/env bash
# Supervised U-Net at equal wall-clock time: LazySeg vs ../shared/bench/torch_train_reference.py,
# one after the other on this machine, same network (the reference U-Net, width 16), crops 192,
# batch 8, Adam 1e-3, flips and 90-degree turns, same test images and the same truth files.
# Appends one JSON line to bench/results/train_vs_torch.jsonl and prints it.
#
# usage: bench/train_vs_torch.sh [DATA=../shared/data/glas] [FRACTION=1.0] [MINUTES=12]
# TORCH=0 skips the PyTorch run (LazySeg alone; truth files are then written by LazySeg).
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-../shared/data/glas}
frac=${2:-1.0}
minutes=${3:-12}
name=$(basename "$data")
work=bench/work/tvt-$name-$frac-$minutes
rm -rf "$work"; mkdir -p "$work" bench/results
./lazyseg --version >/dev/null   # build outside the timed part, then freeze that build
cp -r cli/target/lib "$work/lib"
export LAZYSEG_LIB="$PWD/$work/lib"

if [ "${TORCH:-1}" != 0 ]; then
  /usr/bin/python3 ../shared/bench/torch_train_reference.py "$data" "$work/torch" \
    --minutes "$minutes" --fraction "$frac" > "$work/torch.json"
  truth="$work/torch/truth"
else
  truth="$work/truth"; mkdir -p "$truth"
  /usr/bin/python3 - "$data" "$truth" <<'PY'
import csv, os, sys
import numpy as np
from PIL import Image
from scipy import ndimage as ndi
data, out = sys.argv[1:]
for r in csv.DictReader(open(os.path.join(data, "split.csv"))):
    if r["split"] != "train":
        m = np.asarray(Image.open(os.path.join(data, "masks", r["id"] + ".png"))) > 0
        lab, _ = ndi.label(m)  # 4-connected components, as torch_train_reference.py writes them
        Image.fromarray(lab.astype(np.uint16)).save(os.path.join(out, r["id"] + ".png"))
PY
fi

start=$(date +%s.%N)
./lazyseg train --data "$data" --out "$work/run" --profile standard --fraction "$frac" \
  --minutes "$minutes" --epochs 10000 --steps-per-epoch 100 --val-fraction 0 --no-progress \
  --seed 0 2> "$work/train.log"
end=$(date +%s.%N)
./lazyseg predict --model "$work/run" --checkpoint last --input "$data" --out "$work/pred" --tile 384 2> "$work/predict.log"
./lazyseg evaluate --pred "$work/pred" --truth "$truth" > "$work/lazyseg-eval.json"
[ "${TORCH:-1}" != 0 ] && ./lazyseg evaluate --pred "$work/torch/pred" --truth "$truth" > "$work/torch-eval.json"

/usr/bin/python3 - "$work" "$name" "$frac" "$minutes" "$start" "$end" <<'PY' | tee -a bench/results/train_vs_torch.jsonl
import json, sys, csv, datetime, os
work, name, frac, minutes, start, end = sys.argv[1:]
has_torch = os.path.exists(f"{work}/torch-eval.json")
torch = json.load(open(f"{work}/torch.json")) if has_torch else {}
te = json.load(open(f"{work}/torch-eval.json")) if has_torch else {}
le = json.load(open(f"{work}/lazyseg-eval.json"))
rows = list(csv.DictReader(open(f"{work}/run/metrics.csv")))
steps = sum(int(r.get("steps", 0) or 0) for r in rows)
out = {"bench": "train_vs_torch", "date": datetime.date.today().isoformat(), "machine": f"{os.cpu_count()} cores",
       "dataset": name, "fraction": float(frac), "minutes": float(minutes),
       "torch": {"steps": torch["steps"], "step_ms": torch["step_ms"], "train_images": torch["train_images"],
                 "dice": te["dice"], "object_dice": te["object_dice"], "object_hausdorff": te["object_hausdorff"]} if has_torch else None,
       "lazyseg": {"steps": steps, "train_seconds": round(float(end) - float(start), 1),
                   "step_ms": round(1000 * (float(end) - float(start)) / max(1, steps)),
                   "dice": le["dice"], "object_dice": le["object_dice"], "object_hausdorff": le["object_hausdorff"]}}
out["ratio_dice"] = round(le["dice"] / te["dice"], 4) if has_torch and te["dice"] else None
print(json.dumps(out))
PY
