#!/usr/bin/python3
"""bf16 vs fp32 inference of ../shared/bench/torch_reference.py's network in PyTorch itself
(issue 24 spike, BENCHMARKS.md): trains it 15 Adam steps on the reference's random data in
fp32, then prints the largest and mean softmax-probability difference of torch.autocast
(bf16) and of LazySeg's unet_bf16.pt (run here with the network's parameters) against fp32.
--init djl re-initialises the convolutions as DJL does (He normal, zero biases).

usage: /usr/bin/python3 bench/bf16_autocast_difference.py [--size 128 --batch 8 --width 16] [--init torch|djl]
"""
import argparse, os, sys
import torch
import torch.nn.functional as F

parser = argparse.ArgumentParser()
for name, default in (("size", "128"), ("batch", "8"), ("width", "16")):
    parser.add_argument("--" + name, default=default)
parser.add_argument("--init", default="torch", choices=["torch", "djl"])
opts = parser.parse_args()
here = os.path.dirname(os.path.abspath(__file__))
reference = os.path.join(here, "..", "..", "shared", "bench", "torch_reference.py")
# The reference's network, data and seed: its text up to its timing loop (it defines net,
# x, y and its own parsed arguments a, p).
sys.argv = [reference, "--size", opts.size, "--batch", opts.batch, "--width", opts.width]
exec(open(reference).read().split("train = []")[0])
if opts.init == "djl":
    for mod in net.modules():
        if isinstance(mod, torch.nn.Conv2d):
            torch.nn.init.normal_(mod.weight, 0, (2 / mod.weight[0].numel()) ** 0.5)
            torch.nn.init.zeros_(mod.bias)
opt = torch.optim.Adam(net.parameters(), 2e-4)
for _ in range(15):
    opt.zero_grad(); F.cross_entropy(net(x), y).backward(); opt.step()
net.eval()
params = []
for block in list(net.down) + list(net.up):
    for conv, bn in ((block[0], block[1]), (block[3], block[4])):
        params += [conv.weight, conv.bias, bn.weight, bn.bias, bn.running_mean, bn.running_var]
params += [net.head.weight, net.head.bias]
module = torch.jit.load(os.path.join(here, "..", "train", "src", "main", "resources", "org", "lazyseg",
                                     "train", "nn", "unet_bf16.pt"))
module.eval()
with torch.no_grad():
    fp32 = net(x).softmax(1)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        autocast = net(x).float().softmax(1)
    script = module(x, [t.detach() for t in params])[0].softmax(1)
for name, q in (("autocast", autocast), ("unet_bf16.pt", script)):
    d = (q - fp32).abs()
    print(f"{name} vs fp32 ({opts.init} init): max |dp| {d.max().item():.4f}, mean {d.mean().item():.5f}")
