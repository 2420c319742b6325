#!/usr/bin/python3
"""Writes train/src/main/resources/org/lazyseg/train/nn/export_template.pt, the TorchScript module
that `lazyseg export` fills with a trained network's parameters and saves (TorchScriptExport).

The module computes in fp32 with the forwards of unet_bf16.py (the same code, convolutions in
fp32, batch norm folded in), holds the parameters as one List[Tensor] attribute in DJL's order
for UNet or MultiTaskUNet, and returns every head's class probabilities (softmax over each
head's classes) concatenated along the channel axis: (N, sum of classes, H, W). Why a template
filled from Java: DJL cannot build or trace a TorchScript module, but it can call a module's
method and save the module; one template serves every width, depth, channel and class count.

The saved model needs nothing from LazySeg:
  m = torch.jit.load("model.pt"); probabilities = m(x)   # x: (N, C, H, W) normalised, H and W
                                                          # multiples of 2^(depth - 1)

usage (needs Debian's python3-torch; PyTorch 2.7.1 loads what 1.13 writes):
  /usr/bin/python3 train/tools/export_model.py
"""
import os
from typing import List

import torch

from unet_bf16 import MultiTaskBf16, UNetBf16, resources


class ExportedModel(torch.nn.Module):
    params: List[torch.Tensor]
    multitask: bool

    def __init__(self):
        super().__init__()
        self.unet = UNetBf16(torch.float32)
        self.multi = MultiTaskBf16(torch.float32)
        self.params = []
        self.multitask = False

    @torch.jit.export
    def set_parameters(self, p: List[torch.Tensor], multitask: bool):
        """Takes copies of the network's parameters (DJL's order) and which network they are."""
        self.params = [t.detach().clone().contiguous() for t in p]
        self.multitask = multitask

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.multitask:
            logits = self.multi(x, self.params)
        else:
            logits = self.unet(x, self.params)
        return torch.cat([torch.softmax(h, 1) for h in logits], 1).contiguous()


if __name__ == "__main__":
    module = torch.jit.script(ExportedModel())
    module.eval()
    out = os.path.join(resources(), "export_template.pt")
    module.save(out)
    print(out)
