package org.lazyseg.core.data;

import java.nio.file.Path;
import java.util.List;

/**
 * A dataset folder that breaks the contract described on {@link Dataset}. The message is one
 * line that names the offending file and the problem, so it can be shown to a user as it is;
 * for several bad files ({@link #of}) a first line that says how many, then one line each.
 */
public final class DatasetException extends RuntimeException {
  /** The most problems {@link #of} lists; the others are counted. */
  public static final int MAX_LISTED = 20;

  private final List<DatasetException> problems;

  public DatasetException(String message) {
    this(oneLine(message), null, List.of());
  }

  public DatasetException(Path file, String problem) {
    this(file + ": " + problem);
  }

  public DatasetException(String message, Throwable cause) {
    this(oneLine(message), cause, List.of());
  }

  private DatasetException(String message, Throwable cause, List<DatasetException> problems) {
    super(message, cause);
    this.problems = problems;
  }

  /**
   * One exception for the problems of several files: the problem itself when there is one,
   * else a message of a line "N bad files:" then the first {@value #MAX_LISTED} problems, a
   * line each, and "and K more".
   */
  public static DatasetException of(List<DatasetException> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("no problems");
    }
    if (problems.size() == 1) {
      return problems.get(0);
    }
    return new DatasetException(listing(problems.stream().map(Throwable::getMessage).toList()),
        problems.get(0), List.copyOf(problems));
  }

  /**
   * The message naming many bad files: {@code N bad files:}, then one indented line each, at
   * most {@value #MAX_LISTED}, then {@code and K more}.
   */
  public static String listing(List<String> problems) {
    StringBuilder message = new StringBuilder(problems.size() + " bad files:");
    for (String p : problems.subList(0, Math.min(MAX_LISTED, problems.size()))) {
      message.append("\n  ").append(p);
    }
    if (problems.size() > MAX_LISTED) {
      message.append("\n  and ").append(problems.size() - MAX_LISTED).append(" more");
    }
    return message.toString();
  }

  /** The problems this exception stands for: itself alone unless made by {@link #of}. */
  public List<DatasetException> problems() {
    return problems.isEmpty() ? List.of(this) : problems;
  }

  // Messages from ImageIO or the file system may carry line breaks; a user sees one line.
  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
  }
}
