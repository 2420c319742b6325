#!/usr/bin/env python3
"""The issue-30 and issue-31 bars from bench/results/seed_runs.jsonl: for one build (commit),
every method's scores per dataset and seed beside the U-net (method `supervised`) of the same
data, seed and fraction (of the same build, or of UNET_COMMIT where the U-net rows come from
an earlier build), with each bar met or missed and by how much. A run scored twice (a
finished run started again) counts once, its last line. Stdlib only, so it runs anywhere.
usage: bench/seed_bars.py COMMIT[:UNET_COMMIT] [DATA ...]   e.g. bench/seed_bars.py dfb15bd glas-s0
"""
import json
import sys
from pathlib import Path


def rows(path, commit, datasets):
    runs = {}
    for line in Path(path).read_text().splitlines():
        if not line.strip():
            continue
        r = json.loads(line)
        if r["commit"] != commit or (datasets and r["data"] not in datasets):
            continue
        runs[(r["data"], r["split"], r["fraction"], r["seed"], r["method"], r["options"])] = r
    return runs


def bars(method, s, unet):
    """(issue, text) for each bar this method has against the U-net scores."""
    d = s["dice"] - unet["dice"]
    o = s["object_dice"] - unet["object_dice"]
    out = [("30", "Dice %+.3f (>= -0.02), object Dice %+.3f (>= 0): %s" % (
        d, o, "met" if d >= -0.02 and o >= 0 else "MISSED"))]
    if method == "multitask":
        ok = d >= 0.03 and o >= 0.05 and s["count_error"] <= 3
        out.append(("31", "Dice %+.3f (>= +0.03), object Dice %+.3f (>= +0.05), count error "
                    "%.2f (<= 3): %s" % (d, o, s["count_error"], "met" if ok else "MISSED")))
    return out


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    commit, _, unet_commit = sys.argv[1].partition(":")
    datasets = set(sys.argv[2:])
    results = Path(__file__).resolve().parent / "results" / "seed_runs.jsonl"
    runs = rows(results, commit, datasets)
    unets = rows(results, unet_commit or commit, datasets)
    if not runs:
        sys.exit("seed_bars: no runs of commit %s%s" % (commit, " on " + ", ".join(
            sorted(datasets)) if datasets else ""))
    for key in sorted(runs, key=lambda k: (k[0], k[3], k[4] != "supervised", k[4])):
        data, split, fraction, seed, method, options = key
        s = runs[key]["scores"]
        print("%s %s seed %d %-14s Dice %.3f  object Dice %.3f  Hausdorff %.1f  count error %.2f"
              % (data, split, seed, method, s["dice"], s["object_dice"], s["object_hausdorff"],
                 s["count_error"]))
        unet = unets.get((data, split, fraction, seed, "supervised", options))
        if method != "supervised":
            if unet is None:
                print("    no U-net run of this data, seed and fraction yet")
            else:
                for issue, text in bars(method, s, unet["scores"]):
                    print("    issue %s: %s" % (issue, text))


if __name__ == "__main__":
    main()
