package org.lazyseg.cli;

import java.util.List;
import org.lazyseg.train.nn.Precision;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --precision}: shared by every command that runs the network. */
public final class PrecisionOption {
  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  /** Null until given: auto. */
  private Precision precision;

  @Option(names = "--precision", paramLabel = "auto|fp32|bf16",
      description = "What the network computes in: bf16 (bfloat16 arithmetic, fp32 parameters; about twice as fast to train and three times to segment on CPUs with AMX, see BENCHMARKS.md), fp32, or auto: bf16 where the CPU has AMX or AVX512-BF16 (flags amx_bf16, avx512_bf16 in /proc/cpuinfo) and ONEDNN_MAX_CPU_ISA does not cap PyTorch below them (./lazyseg caps it at SSE41 on AMD CPUs of family 26, where oneDNN's wider kernels gave wrong results), else fp32. A model trained in either segments in either. Default: auto.")
  void setPrecision(String name) {
    try {
      precision = Precision.parse(name);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(mixee.commandLine(), "--" + e.getMessage());
    }
  }

  /** The precision given, else {@link Precision#auto()}. */
  public Precision precision() {
    return precision != null ? precision : Precision.auto();
  }

  /**
   * One line for the log: what the network computes in, why it is slow where it is, and a
   * warning where the CPU needs a oneDNN cap that is not set ({@link Precision#cpuFaultWarning}).
   */
  public String describe() {
    Precision p = precision();
    List<String> flags = Precision.cpuBf16Flags();
    String cap = System.getenv("ONEDNN_MAX_CPU_ISA");
    String none = !Precision.oneDnnCappedBelowBf16() ? "the CPU has no bf16 instructions"
        : "oneDNN is capped at " + cap + " (ONEDNN_MAX_CPU_ISA), below bf16 instructions";
    String why = precision == null ? " (auto: " + (flags.isEmpty() ? none
        : "the CPU has " + String.join(", ", flags)) + ")" : "";
    String slow = p == Precision.BF16 && flags.isEmpty()
        ? "; " + none + ", so PyTorch emulates them: slower than fp32" : "";
    return "computing in " + p.label() + why + slow
        + Precision.cpuFaultWarning().map(w -> "; WARNING: " + w).orElse("");
  }
}
