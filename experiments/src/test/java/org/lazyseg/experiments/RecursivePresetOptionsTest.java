package org.lazyseg.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The recursive presets' options: checked before anything runs. */
class RecursivePresetOptionsTest {
  @Test
  void strongShareAndFarBackgroundAreTheOptionsAndTheirValuesAreChecked() {
    Preset hc18 = Presets.byName("recursive-hc18");
    assertThat(hc18.withOptions(Map.of())).isSameAs(hc18);
    Preset shared = hc18.withOptions(Map.of("strong-share", "0.5"));
    assertThat(shared).isNotSameAs(hc18);
    assertThat(shared.name()).isEqualTo("recursive-hc18");
    assertThatThrownBy(() -> hc18.withOptions(Map.of("side", "128")))
        .hasMessageContaining("unknown option 'side'").hasMessageContaining("strong-share");
    assertThatThrownBy(() -> hc18.withOptions(Map.of("strong-share", "1.5")))
        .hasMessageContaining("[0, 1]");
    assertThat(hc18.withOptions(Map.of("far-background", "3", "strong-share", "0.5")).name())
        .isEqualTo("recursive-hc18");
    assertThatThrownBy(() -> hc18.withOptions(Map.of("far-background", "x")))
        .hasMessageContaining("far-background");
  }

  @Test
  void theMethodsDefaultsAreTheHc18PresetsAndAnOptionAtTheMethodsDefaultIsLeftOut() {
    RecursivePreset hc18 = (RecursivePreset) Presets.byName("recursive-hc18");
    assertThat(hc18.recursiveOptions()).isEmpty();
    assertThat(((RecursivePreset) hc18.withOptions(Map.of("strong-share", "0.5")))
        .recursiveOptions()).isEqualTo(Map.of("strong-share", "0.5"));
    // both defaults are auto: a number is kept, auto is left out
    assertThat(((RecursivePreset) hc18.withOptions(Map.of("far-background", "0")))
        .recursiveOptions()).isEqualTo(Map.of("far-background", "0"));
    assertThat(((RecursivePreset) hc18.withOptions(
        Map.of("far-background", "auto", "strong-share", "auto"))).recursiveOptions())
        .isEmpty();
    // The paper's plain runs: uniform batches, far background off.
    assertThat(((RecursivePreset) hc18.withOptions(
        Map.of("far-background", "0", "strong-share", "0.0"))).recursiveOptions())
        .isEqualTo(Map.of("far-background", "0", "strong-share", "0.0"));
    RecursivePreset glas = (RecursivePreset) Presets.byName("recursive-glas");
    assertThat(glas.recursiveOptions()).isEmpty();
    assertThat(((RecursivePreset) glas.withOptions(Map.of("far-background", "3")))
        .recursiveOptions()).isEqualTo(Map.of("far-background", "3"));
  }
}
