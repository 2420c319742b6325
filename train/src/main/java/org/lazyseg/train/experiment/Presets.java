package org.lazyseg.train.experiment;

import java.util.List;

/** The presets the product knows, by name. */
public final class Presets {
  private static final List<Preset> ALL = List.of(
      new LazyLabelsPreset("glas", "testA"),
      new LazyLabelsPreset("dsb2018", "test"),
      new RecursivePreset("glas", "testA", List.of(0.024, 0.047, 0.094), 0.094, true),
      new RecursivePreset("hc18", "test", List.of(0.044), 0.044, false),
      new SizesPreset(),
      new TagsPreset("dsb2018", "test"));

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
