package org.lazyseg.experiments;

import java.util.List;
import java.util.Map;

/** The presets bench/experiment knows, by name. */
public final class Presets {
  private static final List<Preset> ALL = List.of(
      new LazyLabelsPreset("glas", "testA"),
      new LazyLabelsPreset("dsb2018", "test"),
      new RecursivePreset("glas", "testA", List.of(0.024, 0.047, 0.094), 0.094, true, Map.of()),
      // 9 strong images of 200: the method's defaults give far background (the simulated
      // partial masks mark every object) and one strong crop a batch (auto strong share).
      new RecursivePreset("hc18", "test", List.of(0.044), 0.044, false, Map.of()),
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
