#!/usr/bin/env python3
"""Giving the foreground pixels that a seeded read-out leaves between objects back to them.

The split and grow read-outs grow seeds inside S = the segmentation head's foreground minus the
separation head's interfaces, and leave a band about midway between two seeds that share a
piece of S to nobody, so their objects never touch. The pixels of those bands and interfaces are
foreground to the segmentation head but background in the result. This measures what giving them
back does: each foreground pixel (probability >= 1/2) outside every object joins the object that
reaches it first, growing from all objects at once in 4-connected steps through such pixels only,
at most R steps (R = 0: the read-out as it is). Objects stay apart as instances (they may touch).

`bench/giveback.py [--jsonl FILE] DATA PRED [R...]`: PRED from `lazyseg predict --instances --probabilities`
(instances/ID.png, probabilities/ID.png: 16-bit foreground probability) of images whose masks are
in DATA/masks (instance ids, as in GlaS and DSB2018). Prints the mean foreground Dice, GlaS
object Dice and count error per R, and with --jsonl appends them there as JSON lines. For choosing a read-out on validation images (BENCHMARKS.md,
issue 28). Needs NumPy, SciPy, Pillow (Debian: /usr/bin/python3).
"""
import datetime
import json
import os
import sys
from collections import deque

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from holes import dice, object_dice  # noqa: E402  (the same measures as the holes check)


def give_back(instances, foreground, steps):
    """Multi-source breadth-first growth of the objects into foreground pixels that no object
    holds, at most `steps` 4-connected steps (NumPy has no bounded geodesic growth)."""
    out = instances.copy()
    if steps == 0:
        return out
    h, w = out.shape
    free = foreground & (out == 0)
    dist = np.full(out.shape, -1, np.int32)
    queue = deque()
    ys, xs = np.nonzero(out > 0)
    for y, x in zip(ys, xs):
        dist[y, x] = 0
        queue.append((y, x))
    while queue:
        y, x = queue.popleft()
        if dist[y, x] >= steps:
            continue
        for ny, nx in ((y + 1, x), (y - 1, x), (y, x + 1), (y, x - 1)):
            if 0 <= ny < h and 0 <= nx < w and free[ny, nx] and dist[ny, nx] < 0:
                dist[ny, nx] = dist[y, x] + 1
                out[ny, nx] = out[y, x]
                queue.append((ny, nx))
    return out


def main():
    args = sys.argv[1:]
    jsonl = None
    if args[:1] == ['--jsonl']:
        jsonl, args = args[1], args[2:]
    data, pred = args[0], args[1]
    radii = [int(r) if r != 'inf' else 10**9 for r in args[2:]] or [0, 1, 2, 3, 5]
    names = sorted(n for n in os.listdir(f'{pred}/instances') if n.endswith('.png'))
    scores = {r: [] for r in radii}
    for n in names:
        truth = np.array(Image.open(f'{data}/masks/{n}')).astype(np.int64)
        inst = np.array(Image.open(f'{pred}/instances/{n}')).astype(np.int64)
        prob = np.array(Image.open(f'{pred}/probabilities/{n}')).astype(np.float64) / 65535
        fg = prob >= 0.5
        true_count = len(np.unique(truth[truth > 0]))
        for r in radii:
            g = give_back(inst, fg, r)
            scores[r].append((dice(truth, g), object_dice(truth, g),
                              abs(len(np.unique(g[g > 0])) - true_count), (g > 0).sum()))
    base = np.array(scores[radii[0]])
    for r in radii:
        a = np.array(scores[r])
        m = a.mean(0)
        print(f'{pred} R={r if r < 10**9 else "inf"}: {len(a)} images, Dice {m[0]:.4f}, object '
              f'Dice {m[1]:.4f}, count error {m[2]:.2f}, pixels given back per image '
              f'{(a[:, 3] - base[:, 3]).mean():.0f}, Dice lower on '
              f'{int((a[:, 0] < base[:, 0] - 1e-12).sum())} images, higher on '
              f'{int((a[:, 0] > base[:, 0] + 1e-12).sum())}')
        if jsonl:
            with open(jsonl, 'a') as f:
                f.write(json.dumps({
                    'date': datetime.date.today().isoformat(), 'data': data, 'pred': pred,
                    'steps': 'inf' if r >= 10**9 else r, 'images': len(a), 'dice': m[0],
                    'object_dice': m[1], 'count_error': m[2],
                    'pixels_given_back': float((a[:, 3] - base[:, 3]).mean())}) + '\n')


if __name__ == '__main__':
    main()
