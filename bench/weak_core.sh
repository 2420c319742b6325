#!/usr/bin/env bash
# Weak-label core vs SciPy / scikit-image (issue 4), side by side in one run:
#   edt, cdt_chessboard, felzenszwalb   on seeded synthetic grey PNGs (SIZES, default 1024 4096)
#   levelset                            one GlaS training image, all its objects (GLAS_ID)
#   size_flips                          g after each single-pixel flip, 256 x 256 mask
# Python (Debian's /usr/bin/python3) and Java alternate ROUNDS times, the side that goes first
# alternating too, so drift on the (shared) machine hits both. Both sides compute on one
# thread; each call is timed in wall time and in CPU time of that thread (robust to the other
# processes of a shared machine). Appends one JSON line per (op, size) with both sides'
# medians, the java/python ratios and whether the outputs agree (where the reference is exact)
# to bench/results/weak_core.jsonl and prints it.
#
# usage: [ROUNDS=3] [REPEATS=3] [SIZES="1024 4096"] [SLOW_ROUNDS=1] [GLAS=../shared/data/glas]
#        [GLAS_ID=train_33] [LAMBDA=0.5] bench/weak_core.sh
# (positional ROUNDS REPEATS SIZES are accepted too). Progress goes to stderr.
# SLOW_ROUNDS: the Python calls that take minutes (felzenszwalb on 4096^2, the brute-force
# size flips) run in the first SLOW_ROUNDS rounds only; their Java counterparts run in every
# round. A call longer than 5 s is its own only sample (no warm-up, no repeats) on both sides.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../cpu-env.sh"   # oneDNN cap where a CPU needs it (see there)
cd "$(dirname "$0")/.."
rounds=${1:-${ROUNDS:-3}}
repeats=${2:-${REPEATS:-3}}
sizes=${3:-${SIZES:-1024 4096}}
slow_rounds=${SLOW_ROUNDS:-1}
glas=${GLAS:-../shared/data/glas}
glas_id=${GLAS_ID:-train_33}
lambda=${LAMBDA:-0.5}
work=bench/work/weak_core
mkdir -p "$work" bench/results
py=/usr/bin/python3   # Debian's python3-scipy / python3-skimage
log() { echo "[weak_core $(date +%T)] $*" >&2; }

# Build and resolve the classpath outside the timed part. Maven must not wait on stdin.
log "building (mvn -o -pl experiments -am test-compile)"
mvn -B -q -o -pl experiments -am test-compile </dev/null >&2
mvn -B -q -o -pl core dependency:build-classpath -Dmdep.outputFile="$PWD/$work/classpath.txt" \
  </dev/null >/dev/null
cp="experiments/target/test-classes:core/target/test-classes:core/target/classes:$(cat "$work/classpath.txt")"
java_bench() { java -cp "$cp" org.lazyseg.experiments.bench.WeakCoreBenchmark "$@" </dev/null; }

log "inputs: blobs ($sizes), GlaS $glas_id, 256x256 flip mask"
# shellcheck disable=SC2086
$py bench/weak_core.py generate "$work" --sizes $sizes </dev/null >/dev/null
rm -f "$work"/glas-*.png
java_bench prepare "$work" --glas "$glas" --glas-id "$glas_id"
args=(--repeats "$repeats" --flips "$work/flipmask-256.png" --blobs)
for n in $sizes; do
  args+=("$work/blobs-$n.png")
done
if [[ -f $work/glas-seeds.png ]]; then
  args+=(--levelset "$work/glas-seeds.png" "$work/glas-foreground.png" --lambda "$lambda")
fi
slow=("felzenszwalb:4096x4096" "size_flips")

rm -f "$work"/java-*.raw "$work"/python-*.npy
: > "$work/python.jsonl"
: > "$work/java.jsonl"
for ((r = 1; r <= rounds; r++)); do
  # Alternate which side goes first.
  if ((r % 2)); then order="python java"; else order="java python"; fi
  save=(); ((r == 1)) && save=(--save "$work")
  for side in $order; do
    log "round $r/$rounds: $side"
    if [[ $side == python ]]; then
      skip=(); ((r <= slow_rounds)) || skip=(--skip "${slow[@]}")
      $py bench/weak_core.py time "${args[@]}" "${save[@]}" "${skip[@]}" </dev/null \
        >> "$work/python.jsonl"
    else
      java_bench time "${args[@]}" "${save[@]}" >> "$work/java.jsonl"
    fi
  done
done

log "summary"
$py - "$work" "$rounds" "$repeats" <<'PY' | tee -a bench/results/weak_core.jsonl
import collections, datetime, json, os, statistics, subprocess, sys
work, rounds, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
runs = collections.defaultdict(lambda: collections.defaultdict(list))
cpu_runs = collections.defaultdict(lambda: collections.defaultdict(list))
segments = {}
for impl in ("python", "java"):
    for line in open(f"{work}/{impl}.jsonl"):
        rec = json.loads(line)
        runs[(rec["op"], rec["size"])][impl].append(rec["median_ms"])
        cpu_runs[(rec["op"], rec["size"])][impl].append(rec["median_cpu_ms"])
        if "segments" in rec:
            segments[(rec["op"], rec["size"], impl)] = rec["segments"]
exact = {}
out = subprocess.run([sys.executable, "bench/weak_core.py", "compare", work],
                     capture_output=True, text=True, check=True).stdout
for line in out.splitlines():
    rec = json.loads(line)
    exact[(rec["op"], rec["size"])] = rec
try:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, check=True).stdout.strip()
except (OSError, subprocess.CalledProcessError):
    commit = None
for (op, size), by_impl in runs.items():
    line = {"bench": "weak_core", "date": datetime.date.today().isoformat(), "commit": commit,
            "machine": f"{os.cpu_count()} cores, shared", "op": op, "size": size,
            "rounds": rounds, "repeats": repeats}
    for impl in ("python", "java"):
        # Median over rounds of each round's median; wall time and CPU time of the thread.
        for key, source in (("ms", by_impl), ("cpu_ms", cpu_runs[(op, size)])):
            ms = source.get(impl)
            line[f"{impl}_{key}"] = round(statistics.median(ms), 3) if ms else None
            line[f"{impl}_round_{key}"] = ms
        if (op, size, impl) in segments:
            line[f"{impl}_segments"] = segments[(op, size, impl)]
    # < 1: Java is faster.
    if line["python_ms"] and line["java_ms"]:
        line["java_over_python"] = round(line["java_ms"] / line["python_ms"], 4)
    if line["python_cpu_ms"] and line["java_cpu_ms"]:
        line["java_over_python_cpu"] = round(line["java_cpu_ms"] / line["python_cpu_ms"], 4)
    if (op, size) in exact:
        e = exact[(op, size)]
        line["outputs_equal"] = e.get("equal")
        for k in ("mismatches", "max_abs_diff"):
            if k in e:
                line[k] = e[k]
    print(json.dumps(line))
PY
