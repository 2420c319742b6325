package org.lazyseg.core.weak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lazyseg.core.data.LabeledImage.Kind;

class SimulatorMixTest {
  @Test
  void countsAreTheSharesRoundedByLargestRemainders() {
    Simulator.Mix mix = Simulator.Mix.parse("strong=0.05,partial=0.6,tags=0.35");
    assertThat(mix.counts(85)).containsExactly(4, 51, 0, 0, 30);   // 4.25, 51, 29.75
    assertThat(mix.counts(10)).containsExactly(1, 6, 0, 0, 3);     // 0.5, 6, 3.5: sum 10
    assertThat(Simulator.Mix.parse("strong=0.5").counts(7)).containsExactly(4, 0, 0, 0, 0);
  }

  @Test
  void assignmentIsSeededAndIndependentOfOrder() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      ids.add("i" + i);
    }
    Simulator.Mix mix = Simulator.Mix.parse("partial=0.5,sizes=0.25,scribbles=0.25");
    Map<String, String> a = mix.assign(ids, 4);
    assertThat(a).hasSize(40);
    assertThat(a.values().stream().filter("sizes"::equals)).hasSize(10);
    List<String> reversed = new ArrayList<>(ids);
    java.util.Collections.reverse(reversed);
    assertThat(mix.assign(reversed, 4)).isEqualTo(a);
    assertThat(mix.assign(ids, 5)).isNotEqualTo(a);
  }

  @Test
  void pricesAreSummedExceptThatAStrongMaskCostsOne() {
    assertThat(AnnotationCost.of(EnumSet.of(Kind.MASK, Kind.TAGS, Kind.PARTIAL))).isEqualTo(1);
    assertThat(AnnotationCost.of(EnumSet.of(Kind.PARTIAL, Kind.SCRIBBLES, Kind.TAGS)))
        .isCloseTo(1.0 / 6 + 1.0 / 12, within(1e-12));
    assertThat(AnnotationCost.of(EnumSet.of(Kind.SIZE, Kind.PSEUDO)))
        .isCloseTo(1.0 / 12, within(1e-12));
    assertThat(AnnotationCost.of(EnumSet.noneOf(Kind.class))).isZero();
  }

  @Test
  void sharesAboveOneOrUnknownKindsAreRefused() {
    assertThatThrownBy(() -> Simulator.Mix.parse("strong=0.6,tags=0.6"))
        .hasMessageContaining("sum to at most 1");
    assertThatThrownBy(() -> Simulator.Mix.parse("boxes=0.1")).hasMessageContaining("KIND=SHARE");
  }
}
