#!/usr/bin/python3
"""Foreground Dice on DSB2018's bright-background test images (mean grey > 0.5), per run:
reads RUN/pred-test/instances/ID.png as bench/normalisation_choice writes them.
usage: /usr/bin/python3 bench/bright_background_dice.py RUN [RUN ...]"""
import sys, os, numpy as np
from PIL import Image
data = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'shared', 'data', 'dsb2018')
rows = [l.strip().split(',') for l in open(f'{data}/split.csv')][1:]
test = [r[0] for r in rows if r[1] == 'test']
def img(i):
    f = [n for n in os.listdir(f'{data}/images') if os.path.splitext(n)[0] == i][0]
    a = np.asarray(Image.open(f'{data}/images/{f}').convert('L'), dtype=np.float32) / 255
    return a
runs = sys.argv[1:]
bright = [i for i in test if img(i).mean() > 0.5]
print(len(bright), 'bright-background test images of', len(test))
for run in runs:
    ds = []
    for i in bright:
        t = np.asarray(Image.open(f'{data}/masks/{i}.png')) > 0
        p = np.asarray(Image.open(f'{run}/pred-test/instances/{i}.png')) > 0
        ds.append(2 * (t & p).sum() / max(1, t.sum() + p.sum()))
    print(os.path.basename(run), 'mean Dice on them %.3f' % np.mean(ds), ' '.join('%.2f' % d for d in ds))
