#!/usr/bin/env python3
"""Carves NVAL of DATA's training images (seeded, random.seed(31)) into split "val".

Writes OUT/split.csv (train / val) and links OUT/images and OUT/masks to DATA's files, so
that `lazyseg simulate --from OUT` gives lazy labels to the rest and leaves the val images
with their masks for scoring choices. The same carve for every bench tool that chooses an
option (normalisation_choice, validation_choice): choices never look at a test split.
With LARGEST = FILE:COLUMN (a CSV of DATA with an id column, e.g. pixel_size.csv:
head_circumference_mm) the NVAL training images with the largest values of COLUMN are carved
instead: for a test split whose objects are larger than a random carve's (HC18's test heads
are from later in pregnancy than its training heads: BENCHMARKS.md, issue 30).
usage: bench/carve_validation.py DATA OUT NVAL [LARGEST]
"""
import csv
import os
import random
import sys

data, out, nval = os.path.abspath(sys.argv[1]), sys.argv[2], int(sys.argv[3])
rows = [l.strip().split(',') for l in open(f'{data}/split.csv')][1:]
train = sorted(r[0] for r in rows if r[1] == 'train')
if len(sys.argv) > 4:
    table, column = sys.argv[4].split(':')
    value = {r['id']: float(r[column]) for r in csv.DictReader(open(f'{data}/{table}'))}
    val = set(sorted(train, key=lambda t: -value[t])[:nval])
else:
    random.seed(31)
    val = set(random.sample(train, nval))
for d in ('images', 'masks'):
    os.makedirs(f'{out}/{d}', exist_ok=True)
with open(f'{out}/split.csv', 'w') as f:
    f.write('id,split\n')
    for t in train:
        f.write(f"{t},{'val' if t in val else 'train'}\n")
for t in train:
    for d in ('images', 'masks'):
        src = [n for n in os.listdir(f'{data}/{d}') if os.path.splitext(n)[0] == t][0]
        dst = f'{out}/{d}/{src}'
        if not os.path.lexists(dst):
            os.symlink(f'{data}/{d}/{src}', dst)
