package org.lazyseg.train.method;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Parsing of method options given as text ({@code -O key=value}), with clear messages. */
public final class Options {
  private Options() {}

  /** Rejects keys outside {@code known}, naming the method and the known keys. */
  public static void requireKnown(String method, Map<String, String> options, Set<String> known) {
    for (String key : options.keySet()) {
      if (!known.contains(key)) {
        throw new IllegalArgumentException("method '" + method + "' has no option '" + key
            + "' (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
      }
    }
  }

  public static boolean bool(String key, String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default -> throw new IllegalArgumentException(key + " must be true or false, not '" + value + "'");
    };
  }

  public static double number(String key, String value) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number, not '" + value + "'");
    }
  }

  public static int integer(String key, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, not '" + value + "'");
    }
  }
}
