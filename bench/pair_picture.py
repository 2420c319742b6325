#!/usr/bin/env python3
"""Two runs side by side on the image where run B gains most object Dice over run A and the one
where it loses most: each image with B's or A's prediction (red), predicted outlines (yellow)
and true outlines (green), A left, B right, at 3/4 size in 256 colours (small enough for the
repository). PER_A/PER_B: `lazyseg evaluate --per-image` output of each run's instances.
Needs numpy, scipy and PIL (Debian: python3-numpy python3-scipy python3-pil).
usage: bench/pair_picture.py IMAGES MASKS PRED_A PER_A PRED_B PER_B OUT.png
"""
import glob
import json
import sys

import numpy as np
from PIL import Image
from scipy import ndimage as ndi


def per_image(path):
    return {r["id"]: r for r in json.load(open(path))["images"]}


def outline(labels):
    return (labels > 0) & (ndi.grey_erosion(labels, size=3) != ndi.grey_dilation(labels, size=3))


def panel(img, truth, pred):
    out = img.copy()
    fg = pred > 0
    out[fg] = (0.6 * out[fg] + 0.4 * np.array([255, 0, 0])).astype(np.uint8)
    out[ndi.binary_dilation(outline(truth))] = (0, 255, 0)
    out[ndi.binary_dilation(outline(pred))] = (255, 255, 0)
    return out


def main():
    if len(sys.argv) != 8:
        sys.exit(__doc__)
    images, masks, pred_a, per_a, pred_b, per_b, out = sys.argv[1:]
    a, b = per_image(per_a), per_image(per_b)
    ids = sorted(set(a) & set(b))
    gain = {i: b[i]["object_dice"] - a[i]["object_dice"] for i in ids}
    print("B has the higher object Dice on %d of %d images, the higher Dice on %d" % (
        sum(g > 0 for g in gain.values()), len(ids), sum(b[i]["dice"] > a[i]["dice"] for i in ids)))
    rows = []
    for i in (max(ids, key=gain.get), min(ids, key=gain.get)):
        img = np.array(Image.open(next(iter(glob.glob(f"{images}/{i}.*")))).convert("RGB"))
        truth = np.array(Image.open(f"{masks}/{i}.png"))
        pa = np.array(Image.open(f"{pred_a}/{i}.png"))
        pb = np.array(Image.open(f"{pred_b}/{i}.png"))
        for name, s in (("A", a[i]), ("B", b[i])):
            print(i, name, "Dice %.3f object Dice %.3f count error %.0f" % (
                s["dice"], s["object_dice"], s["count_error"]))
        gap = np.full((img.shape[0], 8, 3), 255, np.uint8)
        rows.append(np.concatenate([panel(img, truth, pa), gap, panel(img, truth, pb)], 1))
    width = max(r.shape[1] for r in rows)
    rows = [np.pad(r, ((0, 8), (0, width - r.shape[1]), (0, 0)), constant_values=255) for r in rows]
    pic = Image.fromarray(np.concatenate(rows, 0))
    pic = pic.resize((pic.width * 3 // 4, pic.height * 3 // 4), Image.LANCZOS).quantize(256)
    pic.save(out)
    print(out, pic.size)


if __name__ == "__main__":
    main()
