package org.lazyseg.train.nn;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The number format a network computes in. Parameters, gradients, the optimizer and the
 * checkpoints are fp32 in both: {@link #BF16} changes only the forward (and so backward)
 * arithmetic, as {@code torch.autocast} does, so a model trained in one precision segments
 * in the other.
 */
public enum Precision {
  /** 32-bit floats throughout. */
  FP32,
  /**
   * Convolutions, batch norm and activations in bfloat16, logits and loss in fp32
   * ({@link Bf16Forward}). Fast where the CPU has AMX or AVX512-BF16; elsewhere PyTorch
   * emulates it, correct but slower than fp32.
   */
  BF16;

  /** The CPU flags that give bf16 arithmetic in hardware. */
  public static final List<String> BF16_CPU_FLAGS = List.of("amx_bf16", "avx512_bf16");

  /** What {@code --precision} accepts. */
  public static final String CHOICES = "auto, fp32 or bf16";

  /** Lower-case name, as options and run records spell it. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * {@code auto}, {@code fp32} or {@code bf16} (any case) to a precision; {@code auto} (and
   * null) is {@link #auto()}. Anything else, e.g. fp16 (which only GPUs run fast, and
   * which LazySeg does not run), is an IllegalArgumentException naming the choices.
   */
  public static Precision parse(String name) {
    if (name == null || name.equalsIgnoreCase("auto")) {
      return auto();
    }
    for (Precision p : values()) {
      if (p.label().equalsIgnoreCase(name.strip())) {
        return p;
      }
    }
    throw new IllegalArgumentException("precision must be " + CHOICES + ", not '" + name + "'");
  }

  /**
   * BF16 where the hardware computes it natively: a CPU with one of {@link #BF16_CPU_FLAGS},
   * or an NVIDIA GPU of compute capability 8.0 (Ampere) or newer; FP32 elsewhere. The GPU
   * branch is untested (this project has no GPU to run it on).
   */
  public static Precision auto() {
    if (Engine.getInstance().getGpuCount() > 0) {
      return gpuHasBf16() ? BF16 : FP32;
    }
    return cpuBf16Flags().isEmpty() ? FP32 : BF16;
  }

  /** Whether GPU 0 computes bf16 natively (compute capability 8.0 or higher). Untested. */
  private static boolean gpuHasBf16() {
    try {
      String capability = ai.djl.util.cuda.CudaUtils.getComputeCapability(0);
      return Integer.parseInt(capability.replace(".", "").trim()) >= 80;
    } catch (RuntimeException | LinkageError e) {
      return false;   // unknown: fp32 is correct everywhere
    }
  }

  /**
   * Those of {@link #BF16_CPU_FLAGS} this machine's CPU has, from /proc/cpuinfo, and that
   * PyTorch's oneDNN may use (see {@link #usable}); empty where it has none or the file cannot
   * be read (other systems than Linux: auto then means fp32).
   */
  public static List<String> cpuBf16Flags() {
    return usable(Flags.BF16, System.getenv("ONEDNN_MAX_CPU_ISA"));
  }

  /** Whether ONEDNN_MAX_CPU_ISA caps PyTorch's oneDNN below bf16 instructions. */
  public static boolean oneDnnCappedBelowBf16() {
    return usable(List.of("bf16"), System.getenv("ONEDNN_MAX_CPU_ISA")).isEmpty();
  }

  /**
   * {@code flags} unless oneDNN is capped below its bf16 instructions ({@code
   * ONEDNN_MAX_CPU_ISA} without BF16 or AMX in its name, e.g. SSE41, which ./lazyseg sets on
   * AMD CPUs of family 26): then bf16 would be emulated, slower than fp32, so none.
   */
  static List<String> usable(List<String> flags, String oneDnnCap) {
    if (oneDnnCap == null || oneDnnCap.isBlank() || oneDnnCap.equalsIgnoreCase("ALL")) {
      return flags;
    }
    String cap = oneDnnCap.toUpperCase(Locale.ROOT);
    return cap.contains("BF16") || cap.contains("AMX") ? flags : List.of();
  }

  /**
   * A warning where this CPU is one on which PyTorch's oneDNN gave wrong results and oneDNN is
   * not capped at SSE41: an AMD CPU of family 26 without {@code ONEDNN_MAX_CPU_ISA=SSE41} in
   * the environment (./lazyseg sets it there; Java programs that start LazySeg themselves, as
   * Fiji and Spark do, must set it before Java starts: the library reads it once, and Java
   * cannot set it). Empty elsewhere. Front ends print it; nothing is refused, because the fault
   * was seen on one such machine (a VM) and the others are untested.
   */
  public static Optional<String> cpuFaultWarning() {
    return cpuFaultWarning(Flags.CPU, System.getenv("ONEDNN_MAX_CPU_ISA"));
  }

  /** {@link #cpuFaultWarning()} for a CPU as "vendor family" and a oneDNN cap (null: none). */
  static Optional<String> cpuFaultWarning(String cpu, String oneDnnCap) {
    if (!cpu.equals("AuthenticAMD 26")
        || (oneDnnCap != null && oneDnnCap.strip().equalsIgnoreCase("SSE41"))) {
      return Optional.empty();
    }
    return Optional.of("this is an AMD CPU of family 26, where PyTorch's oneDNN gave"
        + " wrong results (a loss of NaN, probabilities far off) unless capped: set"
        + " ONEDNN_MAX_CPU_ISA=SSE41 in the environment before Java starts (ONEDNN_MAX_CPU_ISA is "
        + (oneDnnCap == null || oneDnnCap.isBlank() ? "not set" : oneDnnCap) + " now)");
  }

  /** "vendor family" from the first vendor_id and cpu family lines of a /proc/cpuinfo file. */
  static String vendorAndFamily(Path cpuinfo) {
    String vendor = "";
    String family = "";
    try (Stream<String> lines = Files.lines(cpuinfo)) {
      for (String l : (Iterable<String>) lines::iterator) {
        String value = l.substring(l.indexOf(':') + 1).trim();
        if (vendor.isEmpty() && l.startsWith("vendor_id")) {
          vendor = value;
        } else if (family.isEmpty() && l.startsWith("cpu family")) {
          family = value;
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux, or no such file: an unknown CPU.
    }
    return vendor + " " + family;
  }

  /** Those of {@link #BF16_CPU_FLAGS} in the first "flags" line of a /proc/cpuinfo file. */
  static List<String> bf16Flags(Path cpuinfo) {
    List<String> found = new ArrayList<>();
    try (Stream<String> lines = Files.lines(cpuinfo)) {
      String flags = lines.filter(l -> l.startsWith("flags")).findFirst().orElse("");
      List<String> present = List.of(flags.substring(flags.indexOf(':') + 1).trim()
          .split("\\s+"));
      for (String f : BF16_CPU_FLAGS) {
        if (present.contains(f)) {
          found.add(f);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux, or no such file: no native bf16 known.
    }
    return List.copyOf(found);
  }

  /** Read once: the CPU does not change while the JVM runs. */
  private static final class Flags {
    static final List<String> BF16 = bf16Flags(Path.of("/proc/cpuinfo"));
    static final String CPU = vendorAndFamily(Path.of("/proc/cpuinfo"));
  }
}
