#!/usr/bin/env python3
"""Tiny trainings on blank images in Python's PyTorch, as train's BlankImagesTest does in DJL.

A U-Net of width 4 (two levels, batch norm, max pooling, bilinear upsampling, like LazySeg's),
3 steps of Adam on four blank SIZE x SIZE images, RUNS times; prints how many runs reached a
loss that is not finite. With LAYOUT "cl" the data and weights are channels-last, as LazySeg
computes. For telling whether a CPU's wrong results follow the machine or one PyTorch build
(BENCHMARKS.md, "oneDNN on AMD CPU family 26"); ONEDNN_MAX_CPU_ISA / DNNL_MAX_CPU_ISA apply.
usage: bench/blank_images_torch.py RUNS SIZE cl|nchw
"""
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)


def block(i, o):
    return nn.Sequential(nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(),
                         nn.Conv2d(o, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU())


class TinyUNet(nn.Module):
    def __init__(self, width=4, channels=3):
        super().__init__()
        self.down1, self.down2 = block(channels, width), block(width, 2 * width)
        self.up1, self.head = block(3 * width, width), nn.Conv2d(width, 2, 1)

    def forward(self, x):
        a = self.down1(x)
        b = self.down2(F.max_pool2d(a, 2))
        u = F.interpolate(b, scale_factor=2, mode='bilinear', align_corners=False)
        return self.head(self.up1(torch.cat([a, u], 1)))


runs, size, layout = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
fmt = torch.channels_last if layout == 'cl' else torch.contiguous_format
diverged = 0
for run in range(runs):
    net = TinyUNet().to(memory_format=fmt)
    opt = torch.optim.Adam(net.parameters(), 1e-3)
    for step in range(3):
        loss = net(torch.zeros(4, 3, size, size).to(memory_format=fmt)).mean() * 1e-3
        opt.zero_grad()
        loss.backward()
        opt.step()
        if not torch.isfinite(loss):
            diverged += 1
            break
print(f'PyTorch {torch.__version__}, {runs} runs, {size} x {size}, {layout}: '
      f'{diverged} with a loss that is not finite')
