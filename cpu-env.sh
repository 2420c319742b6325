# Sourced by ./lazyseg, .ci/run and the bench scripts that start Java: settings that one kind
# of CPU needs.
# oneDNN gave wrong results on an AMD EPYC of CPU family 26 (a VM; PyTorch 2.7.1 from
# pytorch-native-cpu): at AVX-512, TorchScript forwards 0.29 off in probability or NaN and bf16
# 0.46 off fp32 (train's TorchScriptExportTest, Bf16ForwardTest); a loss of NaN in tiny
# trainings on blank images (train's BlankImagesTest) in about 30% of them at AVX2, about 1% at
# AVX, none of 360 at SSE41 (Debian's PyTorch 1.13 on that machine: none at AVX-512, so it is
# oneDNN 3.7.1 of this PyTorch, not any program using wide registers). So oneDNN is capped
# at SSE41 there (BENCHMARKS.md, "oneDNN on AMD CPU family 26"): fp32 training steps about
# 1.9x and inference about 1.8x slower than at AVX2.
# Other CPUs are left alone, and a cap set by the user is kept.
if [ -z "${ONEDNN_MAX_CPU_ISA:-}" ] && grep -q '^vendor_id.*AuthenticAMD' /proc/cpuinfo 2>/dev/null \
    && grep -m1 '^cpu family' /proc/cpuinfo | grep -q ': 26$'; then
  export ONEDNN_MAX_CPU_ISA=SSE41
fi
