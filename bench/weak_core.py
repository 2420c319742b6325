#!/usr/bin/env python3
"""Python side of bench/weak_core.sh: SciPy / scikit-image timings for the weak-label core.

  weak_core.py generate OUTDIR [--sizes 1024 4096] [--seed 0]
      writes OUTDIR/blobs-<N>.png: 8-bit grey N x N, seeded random blobs (the same file is
      read by the Java side, so both time the same pixels).
  weak_core.py time IMAGE.png... [--repeats 3]
      prints one JSON line per operation and image, keys as WeakCoreBenchmark (Java):
      impl, op, size, repeats, median_ms, min_ms (and segments for felzenszwalb).

Operations, matching the Java side exactly:
  edt             scipy.ndimage.distance_transform_edt(mask)
  cdt_chessboard  scipy.ndimage.distance_transform_cdt(mask, metric='chessboard')
  felzenszwalb    skimage.segmentation.felzenszwalb(grey, scale=100, sigma=0.5, min_size=20)
with mask = grey >= 128. Each runs once untimed, then --repeats times.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
from PIL import Image
from scipy import ndimage
from skimage.segmentation import felzenszwalb

SCALE, SIGMA, MIN_SIZE = 100, 0.5, 20


def blobs(n, seed):
    """N x N uint8: background ~50, one bright ellipse per ~4000 pixels, Gaussian noise."""
    rng = np.random.default_rng(seed)
    img = np.full((n, n), 0.2, dtype=np.float32)
    count = max(1, n * n // 4000)
    for _ in range(count):
        cy, cx = rng.uniform(0, n, size=2)
        ry, rx = rng.uniform(4, 40, size=2)
        angle = rng.uniform(0, np.pi)
        level = rng.uniform(0.6, 0.9)
        y0, y1 = int(max(0, cy - 41)), int(min(n, cy + 42))
        x0, x1 = int(max(0, cx - 41)), int(min(n, cx + 42))
        yy, xx = np.mgrid[y0:y1, x0:x1]
        dy, dx = yy - cy, xx - cx
        c, s = np.cos(angle), np.sin(angle)
        u, v = (c * dx + s * dy) / rx, (-s * dx + c * dy) / ry
        inside = u * u + v * v <= 1
        img[y0:y1, x0:x1][inside] = level
    img += rng.normal(0, 0.05, size=img.shape).astype(np.float32)
    return np.clip(np.rint(img * 255), 0, 255).astype(np.uint8)


def generate(args):
    os.makedirs(args.outdir, exist_ok=True)
    for n in args.sizes:
        path = os.path.join(args.outdir, f"blobs-{n}.png")
        Image.fromarray(blobs(n, args.seed + n)).save(path)
        print(path)


def timed(op, size, repeats, work):
    result = work()   # warm-up, untimed
    ms = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = work()
        ms.append((time.perf_counter() - t0) * 1e3)
    line = {"impl": "python", "op": op, "size": size, "repeats": repeats,
            "median_ms": round(float(np.median(ms)), 3), "min_ms": round(min(ms), 3)}
    if op == "felzenszwalb":
        line["segments"] = int(result.max()) + 1
    print(json.dumps(line), flush=True)


def time_all(args):
    for path in args.images:
        grey = np.asarray(Image.open(path).convert("L"))
        mask = grey >= 128
        size = f"{grey.shape[1]}x{grey.shape[0]}"
        timed("edt", size, args.repeats, lambda: ndimage.distance_transform_edt(mask))
        timed("cdt_chessboard", size, args.repeats,
              lambda: ndimage.distance_transform_cdt(mask, metric="chessboard"))
        timed("felzenszwalb", size, args.repeats,
              lambda: felzenszwalb(grey, scale=SCALE, sigma=SIGMA, min_size=MIN_SIZE,
                                   channel_axis=None))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    g = sub.add_parser("generate")
    g.add_argument("outdir")
    g.add_argument("--sizes", type=int, nargs="+", default=[1024, 4096])
    g.add_argument("--seed", type=int, default=0)
    t = sub.add_parser("time")
    t.add_argument("images", nargs="+")
    t.add_argument("--repeats", type=int, default=3)
    args = p.parse_args()
    generate(args) if args.command == "generate" else time_all(args)


if __name__ == "__main__":
    sys.exit(main())
