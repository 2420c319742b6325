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
}
