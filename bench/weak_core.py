#!/usr/bin/env python3
"""Python side of bench/weak_core.sh: SciPy / scikit-image references for the weak-label core.

  weak_core.py generate OUTDIR [--sizes 1024 4096] [--seed 0]
      writes OUTDIR/blobs-<N>.png: 8-bit grey N x N, seeded random blobs (the same file is
      read by the Java side, so both time the same pixels).
  weak_core.py time [--repeats 3] [--blobs IMAGE.png...] [--levelset SEEDS.png FG.png]
                    [--lambda 0.5] [--flips MASK.png] [--skip OP:SIZE...] [--save DIR]
      prints one JSON line per operation and input, keys as WeakCoreBenchmark (Java):
      impl, op, size, repeats, median_ms, min_ms, ms (and segments for felzenszwalb).
      --save DIR writes each result to DIR/python-OP-SIZE.npy for `compare`.
  weak_core.py compare DIR
      compares DIR/java-OP-SIZE.raw (little-endian float32 or int32, written by the Java
      side) with DIR/python-OP-SIZE.npy and prints one JSON line per pair.

Operations, matching the Java side exactly:
  edt             scipy.ndimage.distance_transform_edt(mask)
  cdt_chessboard  scipy.ndimage.distance_transform_cdt(mask, metric='chessboard')
  felzenszwalb    skimage.segmentation.felzenszwalb(grey, scale=100, sigma=0.5, min_size=20)
  levelset        grow_instances below: several-object level-set growth (docs/methods.md)
  size_flips      size_flips below: g after flipping each single pixel, by brute force
with mask = grey >= 128 for the blob images. Timing, the same on both sides: warm-up calls
until WARMUP_S seconds have passed (Java's JIT compiles a hot loop after some calls, later on
a loaded machine; Python's timings do not change), then --repeats timed calls;
a first call that takes more than LONG_S seconds of CPU is timed itself and is the only sample
(repeating a minutes-long call buys nothing, and the machine is shared). Each call is timed in
wall time and in CPU time of the calling thread (both sides compute on one thread: OpenCV's
threads are off on the Java side), which hardly depends on the other processes of a shared
machine.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
from PIL import Image
from scipy import ndimage

SCALE, SIGMA, MIN_SIZE = 100, 0.5, 20
LONG_S = 5.0
WARMUP_S = 2.0
MIDWAY_BAND = 1.5                       # LevelSetGrowth.MIDWAY_BAND
EIGHT = np.ones((3, 3), dtype=bool)     # 8-connectivity


def log(msg):
    print(f"[python {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


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
        if not os.path.exists(path):
            Image.fromarray(blobs(n, args.seed + n)).save(path)
        print(path)


# ---- references -----------------------------------------------------------------------------

def f32(d):
    """Distances as our Java side holds them: float32 (OpenCV), compared in double."""
    return d.astype(np.float32).astype(np.float64)


def edt_to(target):
    """Euclidean distance from every pixel to the nearest True pixel of target (non-empty)."""
    return f32(ndimage.distance_transform_edt(~target))


def edt_inside(region):
    """Distance from each region pixel to the nearest non-region pixel inside the array."""
    if region.all():
        return np.full(region.shape, np.inf)
    return f32(ndimage.distance_transform_edt(region))


def union(a, b):
    return tuple(slice(min(p.start, q.start), max(p.stop, q.stop)) for p, q in zip(a, b))


def grow_instances(seed_mask, foreground, lam):
    """Level-set growth of several objects (docs/methods.md, Level-set growth;
    LevelSetGrowth.growInstances), in plain NumPy/SciPy.

    (1) seeds = 8-connected components of A; (2) objects of S = 8-connected components of
    S united with A; (3) a component touching one seed is that seed's part, one touching
    several is split by nearest seed (Euclidean), pixels with d2 - d1 < 1.5 go to nobody,
    and parts are then cut to S; (4) each seed grows inside its part:
    {i : d(i, A_s) <= lambda d(i, not part_s)} united with A_s. Distances are computed on
    the bounding box of a seed and its part plus a 1-pixel margin (exact: see the Java
    class comment). Returns instance ids 1..n in raster order of each seed's first pixel.
    """
    h, w = seed_mask.shape
    seeds, n = ndimage.label(seed_mask, structure=EIGHT)
    out = np.zeros((h, w), dtype=np.int32)
    if n == 0:
        return out
    comps, m = ndimage.label(foreground | seed_mask, structure=EIGHT)
    comp_boxes = ndimage.find_objects(comps)
    seed_boxes = ndimage.find_objects(seeds)
    on_seed = seeds > 0
    pairs = np.unique(comps[on_seed].astype(np.int64) * (n + 1) + seeds[on_seed])
    touching = {}
    for p in pairs:
        touching.setdefault(int(p // (n + 1)), []).append(int(p % (n + 1)))
    owner = np.zeros((h, w), dtype=np.int32)
    for k, ss in touching.items():
        box = comp_boxes[k - 1]
        if len(ss) == 1:
            owner[box][comps[box] == k] = ss[0]
            continue
        for s in ss:
            box = union(box, seed_boxes[s - 1])
        sub = seeds[box]
        dist = np.stack([edt_to(sub == s) for s in ss])
        nearest = np.asarray(ss)[np.argmin(dist, axis=0)]
        two = np.partition(dist, 1, axis=0)
        keep = (comps[box] == k) & (two[1] - two[0] >= MIDWAY_BAND)
        owner[box][keep] = nearest[keep]
    owner[~foreground] = 0
    part_boxes = ndimage.find_objects(owner, max_label=n)
    for s in range(1, n + 1):
        box = seed_boxes[s - 1]
        if part_boxes[s - 1] is not None:
            box = union(box, part_boxes[s - 1])
        box = (slice(max(0, box[0].start - 1), min(h, box[0].stop + 1)),
               slice(max(0, box[1].start - 1), min(w, box[1].stop + 1)))
        seed = seeds[box] == s
        grown = seed.copy()
        if lam > 0:
            to_outside = edt_inside(owner[box] == s)
            with np.errstate(invalid="ignore"):
                grown |= (to_outside > 0) & (edt_to(seed) <= lam * to_outside)
        out[box][grown] = s
    return out


def size_flips(mask):
    """g = 2 max Chebyshev depth (outside the image is background) after flipping each single
    pixel: the obvious reference, one transform per flipped pixel, vectorised over batches
    of flipped masks (one cdt call per batch, chessboard metric within each slice)."""
    h, w = mask.shape
    n = h * w
    metric = np.zeros((3, 3, 3), dtype=bool)
    metric[1] = True            # neighbours within a slice only
    out = np.empty(n, dtype=np.int32)
    batch_size = 128
    for start in range(0, n, batch_size):
        idx = np.arange(start, min(n, start + batch_size))
        batch = np.zeros((len(idx), h + 2, w + 2), dtype=bool)
        batch[:, 1:-1, 1:-1] = mask
        ys, xs = np.divmod(idx, w)
        batch[np.arange(len(idx)), ys + 1, xs + 1] ^= True
        d = ndimage.distance_transform_cdt(batch, metric=metric)
        out[idx] = 2 * d.reshape(len(idx), -1).max(axis=1)
    return out.reshape(h, w)


# ---- timing ---------------------------------------------------------------------------------

def timed(op, size, repeats, work, save):
    """Wall and CPU time (this thread's: SciPy and scikit-image compute in the calling thread)
    per call, in ms. CPU time hardly depends on what else runs on the (shared) machine."""
    log(f"{op} {size} ...")

    def call():
        t0, c0 = time.perf_counter(), time.thread_time()
        out = work()
        return out, (time.perf_counter() - t0) * 1e3, (time.thread_time() - c0) * 1e3

    result, first, first_cpu = call()
    if first_cpu > LONG_S * 1e3:
        ms, cpu = [first], [first_cpu]
    else:
        warm = first
        while warm < WARMUP_S * 1e3:
            warm += call()[1]
        ms, cpu = [], []
        for _ in range(repeats):
            result, wall, c = call()
            ms.append(wall)
            cpu.append(c)
    line = {"impl": "python", "op": op, "size": size, "repeats": len(ms),
            "median_ms": round(float(np.median(ms)), 3), "min_ms": round(min(ms), 3),
            "median_cpu_ms": round(float(np.median(cpu)), 3),
            "ms": [round(v, 3) for v in ms], "cpu_ms": [round(v, 3) for v in cpu]}
    if op == "felzenszwalb":
        line["segments"] = int(result.max()) + 1
    print(json.dumps(line), flush=True)
    if save:
        np.save(os.path.join(save, f"python-{op}-{size}.npy"), result)


def time_all(args):
    from skimage.segmentation import felzenszwalb
    skip = set(args.skip or [])

    def run(op, size, work):
        if f"{op}:{size}" in skip or op in skip:
            log(f"{op} {size} skipped")
            return
        timed(op, size, args.repeats, work, args.save)

    for path in args.blobs or []:
        grey = np.asarray(Image.open(path).convert("L"))
        mask = grey >= 128
        size = f"{grey.shape[1]}x{grey.shape[0]}"
        run("edt", size, lambda: ndimage.distance_transform_edt(mask))
        run("cdt_chessboard", size,
            lambda: ndimage.distance_transform_cdt(mask, metric="chessboard"))
        run("felzenszwalb", size,
            lambda: felzenszwalb(grey, scale=SCALE, sigma=SIGMA, min_size=MIN_SIZE,
                                 channel_axis=None))
    if args.levelset:
        seeds = np.asarray(Image.open(args.levelset[0])) > 0
        fg = np.asarray(Image.open(args.levelset[1])) > 0
        size = f"{seeds.shape[1]}x{seeds.shape[0]}"
        run("levelset", size, lambda: grow_instances(seeds, fg, args.lam))
    if args.flips:
        mask = np.asarray(Image.open(args.flips)) > 0
        size = f"{mask.shape[1]}x{mask.shape[0]}"
        run("size_flips", size, lambda: size_flips(mask))


# ---- exactness ------------------------------------------------------------------------------

JAVA_DTYPES = {"edt": "<f4", "cdt_chessboard": "<f4", "felzenszwalb": "<i4",
               "levelset": "<i4", "size_flips": "<i4"}


def compare(args):
    for name in sorted(os.listdir(args.dir)):
        if not (name.startswith("java-") and name.endswith(".raw")):
            continue
        op, size = name[len("java-"):-len(".raw")].rsplit("-", 1)
        py_file = os.path.join(args.dir, f"python-{op}-{size}.npy")
        if not os.path.exists(py_file):
            continue
        width, height = map(int, size.split("x"))
        java = np.fromfile(os.path.join(args.dir, name), dtype=JAVA_DTYPES[op])
        java = java.reshape(height, width)
        py = np.load(py_file)
        line = {"op": op, "size": size}
        if op == "felzenszwalb":
            # Two implementations of one algorithm (scikit-image's and OpenCV's): not expected
            # to agree pixel for pixel; the segment counts are printed by the timings.
            line.update(exact_reference=False, java_segments=int(java.max()),
                        python_segments=int(py.max()) + 1)
        elif op == "edt":
            ours = java.astype(np.float64)
            ref32 = py.astype(np.float32).astype(np.float64)
            line.update(exact_reference=True, mismatches=int(np.count_nonzero(ours != ref32)),
                        max_abs_diff=float(np.max(np.abs(ours - py))))
        else:
            line.update(exact_reference=True,
                        mismatches=int(np.count_nonzero(java.astype(np.int64) != py)))
        line["equal"] = line.get("mismatches", None) == 0 if line["exact_reference"] else None
        print(json.dumps(line), flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    g = sub.add_parser("generate")
    g.add_argument("outdir")
    g.add_argument("--sizes", type=int, nargs="+", default=[1024, 4096])
    g.add_argument("--seed", type=int, default=0)
    t = sub.add_parser("time")
    t.add_argument("--blobs", nargs="*")
    t.add_argument("--levelset", nargs=2, metavar=("SEEDS", "FOREGROUND"))
    t.add_argument("--lambda", dest="lam", type=float, default=0.5)
    t.add_argument("--flips")
    t.add_argument("--repeats", type=int, default=3)
    t.add_argument("--skip", nargs="*", help="OP or OP:SIZE to leave out")
    t.add_argument("--save")
    c = sub.add_parser("compare")
    c.add_argument("dir")
    args = p.parse_args()
    {"generate": generate, "time": time_all, "compare": compare}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
