#!/usr/bin/python3
"""Writes the TorchScript module that bench/amx_conv_backward/run times: one 3x3 convolution
of the same input and weights five ways, in this order: bf16 channels-last with bias (what
unet_bf16.pt does), bf16 channels-last without bias, bf16 NCHW with bias, bf16 with a
channels-last weight, fp32 channels-last (what UNet does).
usage: /usr/bin/python3 conv_variants.py OUT.pt"""
import sys
import torch
import torch.nn.functional as F


class Variants(torch.nn.Module):
    def forward(self, x, w, b):
        bf = torch.bfloat16
        xc = x.to(dtype=bf, memory_format=torch.channels_last)
        y1 = F.conv2d(xc, w.to(bf), b.to(bf), 1, 1).float()
        y2 = F.conv2d(xc, w.to(bf), None, 1, 1).float()
        y3 = F.conv2d(x.to(dtype=bf), w.to(bf), b.to(bf), 1, 1).float()
        y4 = F.conv2d(xc, w.to(dtype=bf, memory_format=torch.channels_last), b.to(bf), 1, 1).float()
        y5 = F.conv2d(x.contiguous(memory_format=torch.channels_last), w, b, 1, 1)
        return y1 + y2 + y3 + y4 + y5


torch.jit.script(Variants()).save(sys.argv[1])
