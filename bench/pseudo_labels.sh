#!/usr/bin/env bash
# GrabCut pseudo masks (core.weak.PseudoLabels, the PL baseline) against the truth, issue 4:
# mean Dice of the partial masks and of the pseudo masks grown from them, and the cost per
# image (wall and CPU seconds, one thread), on the training images of a dataset.
#
# usage: [EVERY=K] [LIMIT=N] bench/pseudo_labels.sh DATA [SETTING...]
#   DATA     a dataset with full truth, e.g. ../shared/data/glas
#   SETTING  MARGIN,ITERATIONS,MAXPIXELS (MAXPIXELS 0: GrabCut at full resolution);
#            default: the defaults of PseudoLabels.Settings
#   EVERY=K  every K-th training image (sorted by id), LIMIT=N at most N of them
# The partial masks come from `lazyseg simulate --from DATA --seed 0` (made once, in
# bench/work/sim-NAME). Appends one JSON line per setting to bench/results/pseudo_labels.jsonl.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../cpu-env.sh"   # oneDNN cap where a CPU needs it (see there)
cd "$(dirname "$0")/.."
data=${1:?usage: bench/pseudo_labels.sh DATA [SETTING...]}
shift
name=$(basename "$data")
sim=bench/work/sim-$name
work=bench/work/pseudo_labels
mkdir -p "$work" bench/results
log() { echo "[pseudo_labels $(date +%T)] $*" >&2; }

mvn -B -q -o -pl experiments -am test-compile </dev/null >&2
mvn -B -q -o -pl core dependency:build-classpath -Dmdep.outputFile="$PWD/$work/classpath.txt" \
  </dev/null >/dev/null
cp="experiments/target/test-classes:core/target/test-classes:core/target/classes:$(cat "$work/classpath.txt")"
if [[ ! -d $sim/partial ]]; then
  log "simulating partial masks: $sim"
  ./lazyseg simulate --from "$data" --out "$sim" --strong 0 --seed 0 --no-overlays </dev/null >&2
fi
settings=()
for s in "$@"; do
  settings+=(--setting "$s")
done
if ((${#settings[@]} == 0)); then
  settings=(--setting default)
fi
commit=$(git rev-parse --short HEAD)
java -cp "$cp" org.lazyseg.experiments.bench.PseudoLabelsBenchmark --truth "$data" --sim "$sim" \
  --every "${EVERY:-1}" --limit "${LIMIT:-1000000}" "${settings[@]}" </dev/null \
  | sed "s/^{/{\"date\": \"$(date +%F)\", \"commit\": \"$commit\", /" \
  | tee -a bench/results/pseudo_labels.jsonl
