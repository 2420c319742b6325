# Sourced by ./lazyseg, .ci/run and the bench scripts that start Java: settings that one kind
# of CPU needs.
# oneDNN's AVX-512 kernels gave wrong results on an AMD EPYC of CPU family 26 (PyTorch 2.7.1
# from pytorch-native-cpu): TorchScript forwards 0.29 off in probability or NaN, bf16 0.46 off
# fp32 (train's TorchScriptExportTest, Bf16ForwardTest); capped at AVX2 they match, at every
# AVX-512 level they do not (BENCHMARKS.md, "oneDNN on AMD CPU family 26"). Other CPUs are
# left alone, and a cap set by the user is kept.
if [ -z "${ONEDNN_MAX_CPU_ISA:-}" ] && grep -q '^vendor_id.*AuthenticAMD' /proc/cpuinfo 2>/dev/null \
    && grep -m1 '^cpu family' /proc/cpuinfo | grep -q ': 26$'; then
  export ONEDNN_MAX_CPU_ISA=AVX2
fi
