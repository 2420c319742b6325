#!/usr/bin/env python3
"""Per-image Dice and predicted / true foreground area of predictions, by true object size.

For each PRED folder (label PNGs named as DATA's masks; > 0 = foreground) and split name,
prints mean and median Dice, the median ratio of predicted to true foreground area, and both
by thirds of the images ordered by true foreground area; then the true areas of every split
of DATA. It shows whether a network's errors depend on object size, e.g. a test split whose
objects are larger than the training images' (HC18: BENCHMARKS.md, issue 30).
usage: bench/area_by_size.py DATA PRED:SPLIT... (needs NumPy and Pillow)
"""
import csv
import sys

import numpy as np
from PIL import Image

data = sys.argv[1]
rows = list(csv.DictReader(open(f'{data}/split.csv')))


def foreground(path):
    return np.array(Image.open(path)) > 0


def thirds(values, order):
    n = len(order) // 3
    return [round(float(np.median(values[order[k * n:(k + 1) * n]])), 3) for k in range(3)]


for arg in sys.argv[2:]:
    pred, split = arg.rsplit(':', 1)
    ids = [r['id'] for r in rows if r['split'] == split]
    dice, true_area, pred_area = [], [], []
    for i in ids:
        t, p = foreground(f'{data}/masks/{i}.png'), foreground(f'{pred}/{i}.png')
        dice.append(2 * (t & p).sum() / max(1, t.sum() + p.sum()))
        true_area.append(t.sum())
        pred_area.append(p.sum())
    dice, ratio = np.array(dice), np.array(pred_area) / np.maximum(1, true_area)
    order = np.argsort(true_area)
    print(f'{arg}: {len(ids)} images, Dice mean {dice.mean():.3f} median {np.median(dice):.3f}, '
          f'predicted/true area median {np.median(ratio):.2f}; by thirds of true area '
          f'(small to large): median Dice {thirds(dice, order)}, area ratio {thirds(ratio, order)}')
for split in sorted({r['split'] for r in rows}):
    areas = [foreground(f'{data}/masks/{r["id"]}.png').sum() for r in rows if r['split'] == split]
    print(f'{split}: {len(areas)} images, true foreground area (px) 10/50/90th percentile '
          f'{np.percentile(areas, [10, 50, 90]).round().astype(int).tolist()}')
