#!/usr/bin/env python3
"""Holes in objects: how many annotated objects have them, and what filling predicted holes does.

`truth DATA...`: per dataset, of the first 80 training images' mask objects, how many have a
hole (background enclosed by the object) and the share of hole pixels. `fill DATA PRED...`:
the mean foreground Dice of each PRED folder (label PNGs named as DATA's masks) against DATA's
masks, as it is and with every hole of the predicted foreground filled (SciPy's
binary_fill_holes). `fill-objects DATA PRED...`: from PRED/instances/ID.png (predict
--instances), Dice and object Dice (GlaS definition) as they are and with each object's own
holes filled (a background component off the border whose neighbours are all one object), the
read-out that would be built. For deciding whether segmentations should fill the holes of their
objects where the annotated objects have none (BENCHMARKS.md, issue 30). Needs NumPy, SciPy,
Pillow.
usage: bench/holes.py truth DATA... | fill DATA PRED... | fill-objects DATA PRED...
"""
import csv
import os
import sys

import numpy as np
from PIL import Image
from scipy import ndimage


def mask_file(data, image_id):
    return next(f for f in os.listdir(f'{data}/masks') if os.path.splitext(f)[0] == image_id)


def dice(truth, pred):
    t, p = truth > 0, pred > 0
    return 2 * (t & p).sum() / max(1, t.sum() + p.sum())


def object_dice(truth, pred):
    """GlaS object Dice: each object's Dice with its most overlapping partner, weighted by area,
    averaged over both directions."""
    def one_way(a, b):
        total, acc = (a > 0).sum(), 0.0
        for k in np.unique(a[a > 0]):
            o = a == k
            ids, counts = np.unique(b[o & (b > 0)], return_counts=True)
            if len(ids):
                p = b == ids[np.argmax(counts)]
                acc += o.sum() / total * 2 * (o & p).sum() / (o.sum() + p.sum())
        return acc
    return 0.5 * (one_way(truth, pred) + one_way(pred, truth))


def fill_own_holes(instances):
    """Each background component (4-connected) that does not touch the border and whose
    8-neighbours are all one object becomes part of that object."""
    components, _ = ndimage.label(instances == 0)
    edge = np.unique(np.concatenate([components[0], components[-1], components[:, 0],
                                     components[:, -1]]))
    out = instances.copy()
    for c, box in enumerate(ndimage.find_objects(components), 1):
        if box is None or c in edge:
            continue
        ys = slice(box[0].start - 1, box[0].stop + 1)
        xs = slice(box[1].start - 1, box[1].stop + 1)
        inside = components[ys, xs] == c
        ring = ndimage.binary_dilation(inside, np.ones((3, 3))) & ~inside
        around = np.unique(instances[ys, xs][ring])
        if len(around) == 1 and around[0] > 0:
            out[ys, xs][inside] = around[0]
    return out


def main():
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
    elif sys.argv[1] == 'fill-objects':
        data = sys.argv[2]
        for pred in sys.argv[3:]:
            rows = []
            for f in sorted(n for n in os.listdir(f'{pred}/instances') if n.endswith('.png')):
                truth = np.array(Image.open(f'{data}/masks/{f}')).astype(np.int64)
                plain = np.array(Image.open(f'{pred}/instances/{f}')).astype(np.int64)
                filled = fill_own_holes(plain)
                rows.append([dice(truth, plain), dice(truth, filled), object_dice(truth, plain),
                             object_dice(truth, filled), int((filled > 0).sum() - (plain > 0).sum())])
            a = np.array(rows)
            m = a.mean(0)
            print(f'{pred}: {len(a)} images, Dice {m[0]:.4f} -> {m[1]:.4f}, object Dice {m[2]:.4f} '
                  f'-> {m[3]:.4f}; images changed {int((a[:, 4] > 0).sum())}, Dice lower on '
                  f'{int((a[:, 1] < a[:, 0] - 1e-12).sum())}, pixels added per image {m[4]:.0f}')
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


if __name__ == '__main__':
    main()
