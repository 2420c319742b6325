package org.lazyseg.train.experiment;

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
}
