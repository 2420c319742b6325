package org.lazyseg.train;

/**
 * One pixel-wise task of a multi-task network: its own head with {@code classes} outputs
 * and loss weight {@code alpha} (the alpha_k of SPEC section 2).
 */
public record Task(String name, int classes, double alpha) {

  public Task {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a task needs a name");
    }
    if (classes < 2) {
      throw new IllegalArgumentException("task " + name + " needs at least 2 classes");
    }
    if (!(alpha >= 0)) {
      throw new IllegalArgumentException("task " + name + ": alpha must be >= 0");
    }
  }

  /** A task with weight 1. */
  public static Task of(String name, int classes) {
    return new Task(name, classes, 1.0);
  }
}
