package org.lazyseg.experiments;

import java.util.List;
import java.util.Map;

/** The presets bench/experiment knows, by name. */
public final class Presets {
  private static final List<Preset> ALL = List.of(
      new LazyLabelsPreset("glas", "testA"),
      new LazyLabelsPreset("dsb2018", "test"),
      new RecursivePreset("glas", "testA", List.of(0.024, 0.047, 0.094), 0.094, true, Map.of()),
      // 9 strong images of 200. Far background is the method's default here (the simulated
      // partial masks mark every object); uniform batches are the default that failed: on 30
      // validation images carved from HC18's training split, Dice 0.588 with uniform batches
      // against 0.610 with half of each batch strong (BENCHMARKS.md, recursive on HC18).
      new RecursivePreset("hc18", "test", List.of(0.044), 0.044, false,
          Map.of("strong-share", "0.5")),
      new SizesPreset(),
      new TagsPreset("dsb2018", "test"),
      new MixedLabelsPreset("glas", "testA"),
      new MixedLabelsPreset("dsb2018", "test"));

  private Presets() {}

  public static List<Preset> all() {
    return ALL;
  }

  public static Preset byName(String name) {
    return ALL.stream().filter(p -> p.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown preset '" + name + "' (known: "
            + String.join(", ", ALL.stream().map(Preset::name).toList()) + ")"));
  }
}
