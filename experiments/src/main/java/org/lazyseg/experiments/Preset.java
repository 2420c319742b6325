package org.lazyseg.experiments;

import java.io.IOException;
import java.util.Map;

/**
 * A named experiment ({@code bench/experiment --preset NAME}): which datasets, label
 * simulations, runs and measures make one of the papers' comparisons, and the table they
 * fill. Every run and evaluation goes through the {@link ExperimentContext}, which keeps
 * what is finished, so a preset started again (or another preset asking for the same run)
 * skips it.
 */
public interface Preset {
  String name();

  /** One line for {@code --list}. */
  String description();

  void run(ExperimentContext ctx) throws IOException;

  /**
   * This preset with the options of {@code bench/experiment -O KEY=VALUE}. Presets take
   * none unless they say so; an unknown key is an error, not silently ignored.
   */
  default Preset withOptions(Map<String, String> options) {
    if (!options.isEmpty()) {
      throw new IllegalArgumentException("preset '" + name() + "' takes no options, got "
          + String.join(", ", options.keySet()));
    }
    return this;
  }
}
