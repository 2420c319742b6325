package org.lazyseg.core.measure;

/** A prediction or truth folder that cannot be compared; the message is one line naming the files. */
public final class EvaluationException extends RuntimeException {
  public EvaluationException(String message) {
    super(message);
  }

  public EvaluationException(String message, Throwable cause) {
    super(message, cause);
  }
}
