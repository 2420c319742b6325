package org.lazyseg.train.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrecisionTest {
  @Test
  void namesParseInAnyCaseAndAutoFollowsTheCpuFlags() {
    assertThat(Precision.parse("fp32")).isEqualTo(Precision.FP32);
    assertThat(Precision.parse(" BF16")).isEqualTo(Precision.BF16);
    assertThat(Precision.parse("Auto")).isEqualTo(Precision.auto());
    assertThat(Precision.parse(null)).isEqualTo(Precision.auto());
    assertThat(Precision.auto()).isEqualTo(
        Precision.cpuBf16Flags().isEmpty() ? Precision.FP32 : Precision.BF16);
    assertThat(Precision.BF16.label()).isEqualTo("bf16");
  }

  @Test
  void aOneDnnCapBelowItsBf16InstructionsMeansNone() {
    List<String> flags = List.of("avx512_bf16");
    assertThat(Precision.usable(flags, null)).isEqualTo(flags);
    assertThat(Precision.usable(flags, "ALL")).isEqualTo(flags);
    assertThat(Precision.usable(flags, "avx512_core_bf16")).isEqualTo(flags);
    assertThat(Precision.usable(flags, "AVX512_CORE_AMX")).isEqualTo(flags);
    assertThat(Precision.usable(flags, "AVX2")).isEmpty();
    assertThat(Precision.usable(flags, "AVX512_CORE_VNNI")).isEmpty();
  }

  @Test
  void anotherPrecisionIsAnErrorNamingTheChoices() {
    assertThatThrownBy(() -> Precision.parse("fp16"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("precision must be auto, fp32 or bf16, not 'fp16'");
  }

  @Test
  void flagsAreReadFromTheFirstFlagsLine(@TempDir Path dir) throws IOException {
    Path amx = dir.resolve("amx");
    Files.writeString(amx, "processor\t: 0\nmodel name\t: Xeon avx512_bf16\n"
        + "flags\t\t: fpu sse avx512f avx512_bf16 amx_bf16 amx_tile\nflags : x\n");
    assertThat(Precision.bf16Flags(amx)).containsExactly("amx_bf16", "avx512_bf16");
    Path amd = dir.resolve("amd");
    Files.writeString(amd, "flags\t\t: fpu sse avx2 avx512f avx512_bf16x\n");
    assertThat(Precision.bf16Flags(amd)).isEmpty();
    assertThat(Precision.bf16Flags(dir.resolve("missing"))).isEmpty();
  }

  @Test
  void onlyAnAmdCpuOfFamily26WithoutTheSse41CapIsWarnedAbout(@TempDir Path dir)
      throws IOException {
    Path zen5 = dir.resolve("zen5");
    Files.writeString(zen5, "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 26\n"
        + "model\t\t: 2\nprocessor\t: 1\nvendor_id\t: AuthenticAMD\ncpu family\t: 26\n");
    Path intel = dir.resolve("intel");
    Files.writeString(intel, "vendor_id\t: GenuineIntel\ncpu family\t: 6\n");
    assertThat(Precision.vendorAndFamily(zen5)).isEqualTo("AuthenticAMD 26");
    assertThat(Precision.vendorAndFamily(intel)).isEqualTo("GenuineIntel 6");
    assertThat(Precision.vendorAndFamily(dir.resolve("missing"))).isEqualTo(" ");

    assertThat(Precision.cpuFaultWarning("AuthenticAMD 26", null)).hasValueSatisfying(w ->
        assertThat(w).contains("ONEDNN_MAX_CPU_ISA=SSE41").endsWith("(ONEDNN_MAX_CPU_ISA is not"
            + " set now)"));
    assertThat(Precision.cpuFaultWarning("AuthenticAMD 26", "AVX2")).hasValueSatisfying(w ->
        assertThat(w).endsWith("(ONEDNN_MAX_CPU_ISA is AVX2 now)"));
    assertThat(Precision.cpuFaultWarning("AuthenticAMD 26", "sse41")).isEmpty();
    assertThat(Precision.cpuFaultWarning("AuthenticAMD 25", null)).isEmpty();
    assertThat(Precision.cpuFaultWarning("GenuineIntel 6", null)).isEmpty();
    assertThat(Precision.cpuFaultWarning(" ", null)).isEmpty();
  }
}
