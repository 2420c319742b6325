#!/usr/bin/python3
"""Writes train/src/main/resources/org/lazyseg/train/nn/unet_bf16.pt and multitask_bf16.pt, the
TorchScript modules that UNet and MultiTaskUNet run in bf16 (Bf16Forward): their forwards with
bf16 compute, as torch.autocast does on CPU, with NO parameters of their own.

forward(x, p) takes the input (N, C, H, W) fp32 and the network's parameters as one list, in
DJL's order for UNet (per two-conv block, per conv: weight, bias, gamma, beta, runningMean,
runningVar; blocks down0..down{d-1}, up{d-2}..up0; then weight, bias of each 1x1 head), and
returns one fp32 logits tensor per head. Why parameters are inputs: the module holds no
tensors, so one file serves every width, channel count, class count, number of heads and
depth (the depth is read from the list: the number of 3x3 blocks is 2 depth - 1), and the
parameters stay DJL's fp32 arrays that the optimizer updates and checkpoints save; autograd
brings their gradients back through the casts as fp32.

What autocast would do, done explicitly (TorchScript's autocast support is experimental):
convolutions in bf16 (input, weight and bias cast), everything after them stays bf16 (batch
norm takes bf16 input with fp32 weight and running statistics, PyTorch's mixed-type CPU
kernel, and updates the statistics in place when the module is in training mode), and the
logits are cast back to fp32 for the loss. In inference mode batch norm is folded into the
convolution before the cast (the only departure from autocast: faster, rounded once less).
The input is made channels-last, as UNet does.

usage (needs Debian's python3-torch; PyTorch 2.7.1 loads what 1.13 writes):
  /usr/bin/python3 train/tools/unet_bf16.py
"""
import os
from typing import Final, List

import torch
import torch.nn.functional as F


class UNetBf16(torch.nn.Module):
    # Tensors per two-conv block: 2 x (conv weight, conv bias, gamma, beta, running mean, running var).
    per_block: Final[int] = 12
    # The type convolutions compute in: bf16 here, fp32 for the exported model (export_model.py).
    compute: Final[int]

    def __init__(self, compute: torch.dtype = torch.bfloat16):
        super().__init__()
        self.compute = compute

    def block(self, h: torch.Tensor, p: List[torch.Tensor], o: int) -> torch.Tensor:
        for k in range(2):
            j = o + 6 * k
            if self.training:
                h = F.conv2d(h, p[j].to(self.compute), p[j + 1].to(self.compute), 1, 1)
                # DJL's momentum 0.9 keeps 90% of the running value: PyTorch's momentum 0.1.
                h = F.batch_norm(h, p[j + 4], p[j + 5], p[j + 2], p[j + 3], True, 0.1, 1e-5)
                h = F.leaky_relu(h, 0.01)
            else:
                # Inference: batch norm with running statistics is a per-channel affine map,
                # folded (in fp32) into the convolution's weight and bias, which saves a pass
                # over every activation. (leaky_relu_ in place was slower: on channels-last bf16
                # it copies its input to a contiguous tensor first; profiler, bench/speed.)
                scale = p[j + 2] * torch.rsqrt(p[j + 5] + 1e-5)
                weight = p[j] * scale.view(-1, 1, 1, 1)
                bias = (p[j + 1] - p[j + 4]) * scale + p[j + 3]
                h = F.conv2d(h, weight.to(self.compute), bias.to(self.compute), 1, 1)
                h = F.leaky_relu(h, 0.01)
        return h

    def blocks(self, p: List[torch.Tensor]) -> int:
        """The number of two-conv blocks: the list starts with them, their first weight 3x3."""
        n = 0
        while self.per_block * n < len(p) and p[self.per_block * n].dim() == 4 \
                and p[self.per_block * n].size(2) == 3:
            n += 1
        return n

    def encode(self, x: torch.Tensor, p: List[torch.Tensor], depth: int) -> List[torch.Tensor]:
        """The contracting path (channels-last bf16): each level's features, last the bottleneck."""
        h = x.to(dtype=self.compute, memory_format=torch.channels_last)
        skips: List[torch.Tensor] = []
        for i in range(depth):
            if i > 0:
                h = F.max_pool2d(h, 2, 2)
            h = self.block(h, p, self.per_block * i)
            skips.append(h)
        return skips

    def forward(self, x: torch.Tensor, p: List[torch.Tensor]) -> List[torch.Tensor]:
        blocks = self.blocks(p)
        depth = (blocks + 1) // 2
        skips = self.encode(x, p, depth)
        h = skips[depth - 1]
        for k in range(depth - 1):
            h = self.block(torch.cat([up2(h), skips[depth - 2 - k]], 1), p,
                           self.per_block * (depth + k))
        out: List[torch.Tensor] = []
        i = self.per_block * blocks
        while i + 1 < len(p):
            out.append(F.conv2d(h, p[i].to(self.compute), p[i + 1].to(self.compute)).float())
            i += 2
        return out


class MultiTaskBf16(UNetBf16):
    """MultiTaskUNet's forward in bf16, parameters in DJL's order for it: blocks down0..down{d-1},
    then per expanding level (d-2 .. 0) shared, residual and, with a separation head,
    separation; then weight and bias of each 1x1 head (segmentation, detection[, separation]).
    The depth and whether separation exists are read from the list (3d - 2 blocks and 2 heads,
    or 4d - 3 blocks and 3 heads)."""

    def forward(self, x: torch.Tensor, p: List[torch.Tensor]) -> List[torch.Tensor]:
        blocks = self.blocks(p)
        heads = (len(p) - self.per_block * blocks) // 2
        separate = heads == 3
        depth = (blocks + 3) // 4 if separate else (blocks + 2) // 3
        per_level = 3 if separate else 2
        skips = self.encode(x, p, depth)
        h = skips[depth - 1]
        det = h
        seg = h
        sep = h
        for k in range(depth - 1):
            c = skips[depth - 2 - k]
            o = self.per_block * (depth + per_level * k)
            det = self.block(torch.cat([up2(det), c], 1), p, o)
            z = self.block(torch.cat([up2(seg), c], 1), p, o)
            seg = z + self.block(z, p, o + self.per_block)
            if separate:
                sep = self.block(torch.cat([up2(sep), seg], 1), p, o + 2 * self.per_block)
        paths = [seg, det, sep]
        out: List[torch.Tensor] = []
        i = self.per_block * blocks
        for t in range(heads):
            out.append(F.conv2d(paths[t], p[i].to(self.compute),
                                p[i + 1].to(self.compute)).float())
            i += 2
        return out


def up2(h: torch.Tensor) -> torch.Tensor:
    return torch.ops.aten.upsample_bilinear2d(h, [2 * h.size(2), 2 * h.size(3)], False, None, None)


def resources() -> str:
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.normpath(os.path.join(here, "..", "src", "main", "resources", "org", "lazyseg",
                                         "train", "nn"))


if __name__ == "__main__":
    for name, module in (("unet_bf16.pt", UNetBf16()), ("multitask_bf16.pt", MultiTaskBf16())):
        out = os.path.join(resources(), name)
        torch.jit.script(module).save(out)
        print(out)
