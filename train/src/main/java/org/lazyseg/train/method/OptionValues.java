package org.lazyseg.train.method;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values of a method's {@link Setting}s, parsed from {@code -O key=value} text: every
 * declared setting has a value (given or default), unknown keys are refused.
 */
public final class OptionValues {
  private final String method;
  private final Map<String, Object> values;
  private final Map<String, String> given;

  private OptionValues(String method, Map<String, Object> values, Map<String, String> given) {
    this.method = method;
    this.values = values;
    this.given = given;
  }

  /**
   * Parses {@code text} against {@code settings}.
   *
   * @throws IllegalArgumentException for an unknown key (the message lists the known ones) or
   *     a value outside what the setting allows (the message says what it allows)
   */
  public static OptionValues parse(String method, List<Setting> settings,
      Map<String, String> text) {
    Map<String, Setting> byName = new LinkedHashMap<>();
    settings.forEach(s -> byName.put(s.name(), s));
    for (String key : text.keySet()) {
      if (!byName.containsKey(key)) {
        throw new IllegalArgumentException(byName.isEmpty()
            ? "method '" + method + "' takes no options, got " + text.keySet()
            : "method '" + method + "' has no option '" + key + "' (known: "
                + String.join(", ", byName.keySet()) + ")");
      }
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (Setting s : settings) {
      String v = text.get(s.name());
      values.put(s.name(), v != null ? s.parse(method, v)
          : s.defaultValue().isEmpty() ? null : s.parse(method, s.defaultValue()));
    }
    return new OptionValues(method, values, Map.copyOf(text));
  }

  /** Whether the text gave this setting (rather than its default). */
  public boolean isGiven(String name) {
    return given.containsKey(name);
  }

  public int integer(String name) {
    return (Integer) get(name);
  }

  public double number(String name) {
    return (Double) get(name);
  }

  public boolean bool(String name) {
    return (Boolean) get(name);
  }

  /** A choice or text value; null for text with no default that was not given. */
  public String text(String name) {
    return (String) get(name);
  }

  private Object get(String name) {
    if (!values.containsKey(name)) {
      throw new IllegalArgumentException("method '" + method + "' declares no setting '" + name
          + "'");
    }
    return values.get(name);
  }
}
