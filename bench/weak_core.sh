#!/usr/bin/env bash
# Weak-label core vs SciPy / scikit-image (issue 4): Euclidean and Chebyshev distance
# transforms and Felzenszwalb-Huttenlocher superpixels on the same seeded synthetic PNGs
# (1024^2 and 4096^2), plus our exact single-flip object sizes on a 256^2 mask (Java only).
# Python and Java run alternately, ROUNDS times each, so drift on the machine hits both.
# Appends one JSON line per (op, size) with both medians and java/python ratios to
# bench/results/weak_core.jsonl and prints it.
#
# usage: bench/weak_core.sh [ROUNDS=3] [REPEATS=3] [SIZES="1024 4096"]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
repeats=${2:-3}
sizes=${3:-1024 4096}
work=bench/work/weak_core
mkdir -p "$work" bench/results
py=/usr/bin/python3   # Debian's python3-scipy / python3-skimage

# Build and resolve the classpath outside the timed part.
mvn -B -q -o -pl core test-compile
mvn -B -q -o -pl core dependency:build-classpath -Dmdep.outputFile="$PWD/$work/classpath.txt" >/dev/null
cp="core/target/test-classes:core/target/classes:$(cat "$work/classpath.txt")"

images=()
for n in $sizes; do
  images+=("$work/blobs-$n.png")
done
# shellcheck disable=SC2086
$py bench/weak_core.py generate "$work" --sizes $sizes >/dev/null

: > "$work/python.jsonl"
: > "$work/java.jsonl"
for ((r = 1; r <= rounds; r++)); do
  # Alternate which side goes first.
  if ((r % 2)); then order="python java"; else order="java python"; fi
  for side in $order; do
    if [[ $side == python ]]; then
      $py bench/weak_core.py time "${images[@]}" --repeats "$repeats" >> "$work/python.jsonl"
    else
      flips=(); ((r == 1)) || flips=(--no-flips)
      java -cp "$cp" org.lazyseg.core.bench.WeakCoreBenchmark --repeats "$repeats" \
        "${flips[@]}" "${images[@]}" >> "$work/java.jsonl"
    fi
  done
done

$py - "$work" "$rounds" "$repeats" <<'PY' | tee -a bench/results/weak_core.jsonl
import collections, datetime, json, os, statistics, subprocess, sys
work, rounds, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
runs = collections.defaultdict(lambda: collections.defaultdict(list))
segments = {}
for impl in ("python", "java"):
    for line in open(f"{work}/{impl}.jsonl"):
        rec = json.loads(line)
        runs[(rec["op"], rec["size"])][impl].append(rec["median_ms"])
        if "segments" in rec:
            segments[(rec["op"], rec["size"], impl)] = rec["segments"]
try:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, check=True).stdout.strip()
except (OSError, subprocess.CalledProcessError):
    commit = None
for (op, size), by_impl in runs.items():
    out = {"bench": "weak_core", "date": datetime.date.today().isoformat(), "commit": commit,
           "machine": f"{os.cpu_count()} cores", "op": op, "size": size,
           "rounds": rounds, "repeats": repeats}
    for impl in ("python", "java"):
        ms = by_impl.get(impl)
        out[f"{impl}_ms"] = round(statistics.median(ms), 3) if ms else None
        if (op, size, impl) in segments:
            out[f"{impl}_segments"] = segments[(op, size, impl)]
    if out["python_ms"] and out["java_ms"]:
        # > 1: Java is slower.
        out["java_over_python"] = round(out["java_ms"] / out["python_ms"], 3)
    print(json.dumps(out))
PY
