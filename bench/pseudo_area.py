#!/usr/bin/env python3
"""Area and Dice of pseudo masks (or predictions) against the truth, and of their erosions.

`bench/pseudo_area.py TRUTH_MASKS PRED_DIR [R...]`: for each label PNG in PRED_DIR (pseudo/ of
`lazyseg simulate --pseudo`, or predicted class/instance images) with the same name in
TRUTH_MASKS, pools true/false positives and false negatives over the images and prints the
pooled Dice, the mean Dice per image and the predicted/true area, with every object eroded by
R pixels (default 0; SciPy's binary erosion, 3 x 3 cross). For telling a boundary band of
excess from leaked regions (BENCHMARKS.md, issue 31). Needs NumPy, SciPy, Pillow.
"""
import os
import sys

import numpy as np
from PIL import Image
from scipy import ndimage


def main():
    truth_dir, pred_dir = sys.argv[1], sys.argv[2]
    radii = [int(r) for r in sys.argv[3:]] or [0]
    files = sorted(f for f in os.listdir(pred_dir) if f.endswith('.png'))
    truths = [np.array(Image.open(f'{truth_dir}/{f}')) > 0 for f in files]
    preds = [np.array(Image.open(f'{pred_dir}/{f}')) for f in files]
    for r in radii:
        tp = fp = fn = 0
        dices = []
        for t, q in zip(truths, preds):
            out = np.zeros(q.shape, bool)
            for k in np.unique(q[q > 0]):
                o = q == k
                out |= ndimage.binary_erosion(o, iterations=r) if r > 0 else o
            tp += (t & out).sum()
            fp += (~t & out).sum()
            fn += (t & ~out).sum()
            dices.append(2 * (t & out).sum() / max(1, t.sum() + out.sum()))
        print(f'{pred_dir} erosion {r}: {len(files)} images, pooled Dice '
              f'{2 * tp / max(1, 2 * tp + fp + fn):.4f}, mean Dice {np.mean(dices):.4f}, '
              f'area ratio {(tp + fp) / max(1, tp + fn):.3f}, false positives {fp}, '
              f'false negatives {fn}')


if __name__ == '__main__':
    main()
