#!/usr/bin/python3
"""Writes train/src/main/resources/org/lazyseg/train/nn/upsample_bilinear2d.pt, the TorchScript
module that Upsample2x runs: PyTorch's plain bilinear x2 kernel (align_corners=False), which
DJL's API does not reach (its interpolate runs the anti-aliased kernel).

usage (needs Debian's python3-torch; any PyTorch >= 1.10 writes a file 2.7.1 loads):
  /usr/bin/python3 train/tools/upsample_bilinear2d.py
"""
import os
import torch


class Upsample2x(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.ops.aten.upsample_bilinear2d(x, [2 * x.size(2), 2 * x.size(3)], False, None, None)


here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "src", "main", "resources", "org", "lazyseg", "train", "nn",
                   "upsample_bilinear2d.pt")
torch.jit.script(Upsample2x()).save(os.path.normpath(out))
print(os.path.normpath(out))
