#!/usr/bin/env python3
"""Holes in objects: how many annotated objects have them, and what filling predicted holes does.

`truth DATA...`: per dataset, of the first 80 training images' mask objects, how many have a
hole (background enclosed by the object) and the share of hole pixels. `fill DATA PRED...`:
the mean foreground Dice of each PRED folder (label PNGs named as DATA's masks) against DATA's
masks, as it is and with every hole of the predicted foreground filled (SciPy's
binary_fill_holes). For deciding whether segmentations should fill the holes of their objects
where the annotated objects have none (BENCHMARKS.md, issue 30). Needs NumPy, SciPy, Pillow.
usage: bench/holes.py truth DATA... | bench/holes.py fill DATA PRED...
"""
import csv
import os
import sys

import numpy as np
from PIL import Image
from scipy import ndimage


def mask_file(data, image_id):
    return next(f for f in os.listdir(f'{data}/masks') if os.path.splitext(f)[0] == image_id)


if sys.argv[1] == 'truth':
    for data in sys.argv[2:]:
        ids = [r['id'] for r in csv.DictReader(open(f'{data}/split.csv'))
               if r['split'] == 'train'][:80]
        objects = holed = hole_px = object_px = 0
        for i in ids:
            m = np.array(Image.open(f'{data}/masks/{mask_file(data, i)}'))
            for k in np.unique(m[m > 0]):
                o = m == k
                holes = (ndimage.binary_fill_holes(o) & ~o).sum()
                objects += 1
                object_px += o.sum()
                holed += holes > 0
                hole_px += holes
        print(f'{os.path.basename(data)}: {objects} objects, {holed} with holes, hole pixels '
              f'{hole_px / max(1, object_px):.5f} of object pixels')
else:
    data = sys.argv[2]
    for pred in sys.argv[3:]:
        plain, filled = [], []
        for f in sorted(n for n in os.listdir(pred) if n.endswith('.png')):
            t = np.array(Image.open(f'{data}/masks/{f}')) > 0
            p = np.array(Image.open(f'{pred}/{f}')) > 0
            q = ndimage.binary_fill_holes(p)
            plain.append(2 * (t & p).sum() / max(1, t.sum() + p.sum()))
            filled.append(2 * (t & q).sum() / max(1, t.sum() + q.sum()))
        print(f'{pred}: {len(plain)} images, Dice {np.mean(plain):.4f}, holes filled '
              f'{np.mean(filled):.4f}')
