package org.lazyseg.train.method;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One setting of a method, declared once: its name, type, default, allowed values and a
 * one-line meaning. {@code -O key=value} parsing and its error messages, {@code train --help}
 * and the option tables of the README all come from these declarations
 * ({@link OptionValues#parse}, {@link MethodDocs}).
 *
 * @param name the key of {@code -O key=value}
 * @param type what values look like
 * @param defaultValue the default as text ("" = none)
 * @param min least number allowed (numbers only)
 * @param minOpen whether {@code min} itself is excluded
 * @param max largest number allowed (numbers only)
 * @param maxOpen whether {@code max} itself is excluded
 * @param words for numbers: words that stand for a value (e.g. {@code auto} = NaN, {@code
 *     inf}); for choices: the allowed values
 * @param doc one line: what the setting does
 */
public record Setting(String name, Type type, String defaultValue, double min, boolean minOpen,
    double max, boolean maxOpen, Map<String, Double> words, List<String> choices, String doc) {

  /** The kinds of values. */
  public enum Type { INTEGER, NUMBER, BOOLEAN, CHOICE, TEXT }

  public Setting {
    words = Map.copyOf(words);
    choices = List.copyOf(choices);
  }

  /** A whole number in [min, max]. */
  public static Setting integer(String name, int defaultValue, int min, int max, String doc) {
    return new Setting(name, Type.INTEGER, Integer.toString(defaultValue), min, false, max, false,
        Map.of(), List.of(), doc);
  }

  /** A number in [min, max]. */
  public static Setting number(String name, double defaultValue, double min, double max,
      String doc) {
    return new Setting(name, Type.NUMBER, plain(defaultValue), min, false, max, false, Map.of(),
        List.of(), doc);
  }

  /** true or false (also yes/no, 1/0). */
  public static Setting bool(String name, boolean defaultValue, String doc) {
    return new Setting(name, Type.BOOLEAN, Boolean.toString(defaultValue), 0, false, 0, false,
        Map.of(), List.of(), doc);
  }

  /** One of the given words; the first is the default unless another is given. */
  public static Setting choice(String name, String defaultValue, List<String> choices,
      String doc) {
    return new Setting(name, Type.CHOICE, defaultValue, 0, false, 0, false, Map.of(), choices,
        doc);
  }

  /** Free text, e.g. a path; "" = none. */
  public static Setting text(String name, String doc) {
    return new Setting(name, Type.TEXT, "", 0, false, 0, false, Map.of(), List.of(), doc);
  }

  /** This number setting with {@code min} excluded (e.g. "&gt; 0"). */
  public Setting aboveMin() {
    return new Setting(name, type, defaultValue, min, true, max, maxOpen, words, choices, doc);
  }

  /** This number setting with {@code max} excluded. */
  public Setting belowMax() {
    return new Setting(name, type, defaultValue, min, minOpen, max, true, words, choices, doc);
  }

  /** This number setting also taking {@code word} for {@code value} (e.g. "inf", "auto"). */
  public Setting orWord(String word, double value) {
    Map<String, Double> w = new java.util.LinkedHashMap<>(words);
    w.put(word, value);
    return new Setting(name, type, defaultValue, min, minOpen, max, maxOpen, w, choices, doc);
  }

  /** This setting with another default (as text). */
  public Setting withDefault(String value) {
    return new Setting(name, type, value, min, minOpen, max, maxOpen, words, choices, doc);
  }

  /**
   * The typed value of {@code text}: Integer, Double, Boolean or String.
   *
   * @throws IllegalArgumentException naming the method, the setting and what is allowed
   */
  public Object parse(String method, String text) {
    String t = text.trim();
    switch (type) {
      case INTEGER -> {
        long v;
        try {
          v = Long.parseLong(t);
        } catch (NumberFormatException e) {
          throw bad(method, text);
        }
        if (!inRange(v)) {
          throw bad(method, text);
        }
        return (int) v;
      }
      case NUMBER -> {
        Double word = words.get(t.toLowerCase(Locale.ROOT));
        if (word != null) {
          return word;
        }
        double v;
        try {
          v = Double.parseDouble(t);
        } catch (NumberFormatException e) {
          throw bad(method, text);
        }
        if (Double.isNaN(v) || Double.isInfinite(v) || !inRange(v)) {
          throw bad(method, text);
        }
        return v;
      }
      case BOOLEAN -> {
        return switch (t.toLowerCase(Locale.ROOT)) {
          case "true", "yes", "1" -> true;
          case "false", "no", "0" -> false;
          default -> throw bad(method, text);
        };
      }
      case CHOICE -> {
        if (!choices.contains(t)) {
          throw bad(method, text);
        }
        return t;
      }
      default -> {
        return t;
      }
    }
  }

  private boolean inRange(double v) {
    return (minOpen ? v > min : v >= min) && (maxOpen ? v < max : v <= max);
  }

  private IllegalArgumentException bad(String method, String text) {
    return new IllegalArgumentException("method '" + method + "': " + name + " must be "
        + allowed() + ", not '" + text + "'");
  }

  /** What values are allowed, in words (for messages and tables). */
  public String allowed() {
    return switch (type) {
      case INTEGER -> "a whole number " + interval();
      case NUMBER -> "a number " + interval()
          + (words.isEmpty() ? "" : " or " + String.join(" or ", words.keySet()));
      case BOOLEAN -> "true or false";
      case CHOICE -> String.join(" or ", choices);
      case TEXT -> "text";
    };
  }

  private String interval() {
    boolean noMax = max == Double.POSITIVE_INFINITY || max == Integer.MAX_VALUE;
    if (noMax) {
      return (minOpen ? "> " : ">= ") + plain(min);
    }
    return "in " + (minOpen ? "(" : "[") + plain(min) + ", " + plain(max) + (maxOpen ? ")" : "]");
  }

  static String plain(double v) {
    if (Double.isNaN(v)) {
      return "auto";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v)
        : Double.toString(v);
  }
}
