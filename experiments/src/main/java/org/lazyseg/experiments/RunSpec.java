package org.lazyseg.experiments;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One training run of an experiment: a method (with options) on a dataset folder with a
 * seeded strong fraction. With the context's profile and time budget it names its folder,
 * so equal specs from different presets share one run.
 */
public record RunSpec(Path data, String method, Map<String, String> options,
    double strongFraction, long seed) {

  public RunSpec {
    options = Map.copyOf(options == null ? Map.of() : options);
  }

  public static RunSpec of(Path data, String method, double strongFraction) {
    return new RunSpec(data, method, Map.of(), strongFraction, 0);
  }

  public RunSpec withOption(String key, String value) {
    Map<String, String> o = new TreeMap<>(options);
    o.put(key, value);
    return new RunSpec(data, method, o, strongFraction, seed);
  }

  /** A readable folder name, e.g. {@code multitask-f0.094-s0}; options sorted by key. */
  public String key() {
    StringBuilder b = new StringBuilder(method);
    new TreeMap<>(options).forEach((k, v) -> b.append('-').append(k).append(v));
    b.append(String.format(Locale.ROOT, "-f%s-s%d", fraction(strongFraction), seed));
    return b.toString().replaceAll("[^A-Za-z0-9._=-]", "_");
  }

  static String fraction(double f) {
    String s = String.format(Locale.ROOT, "%.4f", f);
    return s.replaceAll("0+$", "").replaceAll("\\.$", "");
  }
}
