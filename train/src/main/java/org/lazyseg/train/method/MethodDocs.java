package org.lazyseg.train.method;

import java.util.List;

/**
 * The documentation of methods' settings, made from their {@link Setting} declarations: the
 * Markdown tables of README.md and docs/methods.md (a test keeps both in step) and the text of
 * {@code lazyseg train --help}.
 */
public final class MethodDocs {
  private MethodDocs() {}

  /** The Markdown table of one method's settings ("takes no settings" without any). */
  public static String markdown(Method method) {
    List<Setting> settings = method.settings();
    if (settings.isEmpty()) {
      return "`" + method.name() + "` takes no settings.";
    }
    StringBuilder b = new StringBuilder("| setting | allowed | default | meaning |\n")
        .append("|---|---|---|---|\n");
    for (Setting s : settings) {
      b.append("| `").append(s.name()).append("` | ").append(s.allowed()).append(" | ")
          .append(s.defaultValue().isEmpty() ? "none" : "`" + s.defaultValue() + "`")
          .append(" | ").append(s.doc()).append(" |\n");
    }
    return b.toString().stripTrailing();
  }

  /**
   * Plain text for {@code --help}: each method with its one-line description, then each
   * setting with its default, what it allows and what it does, wrapped to 78 columns.
   */
  public static String helpText(List<Method> methods) {
    StringBuilder b = new StringBuilder();
    for (Method m : methods) {
      wrap(b, m.name() + ": " + m.description(), "  ", "    ");
      for (Setting s : m.settings()) {
        wrap(b, "-O " + s.name() + "=" + (s.defaultValue().isEmpty() ? "..." : s.defaultValue())
            + "  (" + s.allowed() + ")", "      ", "        ");
        wrap(b, s.doc(), "          ", "          ");
      }
    }
    return b.toString();
  }

  /** Appends {@code text} wrapped at 78 columns: the first line indented by {@code first}. */
  private static void wrap(StringBuilder b, String text, String first, String rest) {
    StringBuilder line = new StringBuilder(first);
    boolean empty = true;
    for (String word : text.split(" ")) {
      if (!empty && line.length() + 1 + word.length() > 78) {
        b.append(line).append('\n');
        line = new StringBuilder(rest);
        empty = true;
      }
      line.append(empty ? "" : " ").append(word);
      empty = false;
    }
    b.append(line).append('\n');
  }

  /** Replaces the text between {@code <!-- settings:NAME -->} and {@code <!-- /settings -->}. */
  public static String fill(String document, List<Method> methods) {
    String out = document;
    for (Method m : methods) {
      String open = "<!-- settings:" + m.name() + " -->";
      int start = out.indexOf(open);
      if (start < 0) {
        continue;
      }
      int end = out.indexOf("<!-- /settings -->", start);
      if (end < 0) {
        throw new IllegalArgumentException("no <!-- /settings --> after " + open);
      }
      out = out.substring(0, start + open.length()) + "\n" + markdown(m) + "\n"
          + out.substring(end);
    }
    return out;
  }

  /**
   * Rewrites the tables of the Markdown files given, e.g. from the repository root after a
   * build: {@code java -cp "cli/target/lib/*" org.lazyseg.train.method.MethodDocs README.md
   * docs/methods.md}.
   */
  public static void main(String[] files) throws java.io.IOException {
    for (String f : files) {
      java.nio.file.Path p = java.nio.file.Path.of(f);
      java.nio.file.Files.writeString(p, fill(java.nio.file.Files.readString(p), Methods.all()));
    }
  }
}
