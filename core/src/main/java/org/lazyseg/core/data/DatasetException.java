package org.lazyseg.core.data;

import java.nio.file.Path;

/**
 * A dataset folder that breaks the contract described on {@link Dataset}. The message is one
 * line that names the offending file and the problem, so it can be shown to a user as it is.
 */
public final class DatasetException extends RuntimeException {
  public DatasetException(String message) {
    super(oneLine(message));
  }

  public DatasetException(Path file, String problem) {
    this(file + ": " + problem);
  }

  public DatasetException(String message, Throwable cause) {
    super(oneLine(message), cause);
  }

  // Messages from ImageIO or the file system may carry line breaks; a user sees one line.
  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
  }
}
