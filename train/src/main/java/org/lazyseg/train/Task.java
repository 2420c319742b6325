package org.lazyseg.train;

/**
 * One pixel-wise task of a multi-task network: its own head with {@code classes} outputs,
 * loss weight {@code alpha} (the alpha_t of docs/methods.md, Common ground), and the weight of a
 * pixel labelled with a class other than 0 relative to one labelled 0 in the task's pixel mean
 * ({@code foregroundWeight}, 1 = plain mean; null, as in runs saved before it existed, reads
 * as 1). Rare classes need it: interface pixels are about 1 in 1000 (separation task).
 */
public record Task(String name, int classes, double alpha, Double foregroundWeight) {

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
    if (foregroundWeight == null) {
      foregroundWeight = 1.0;
    }
    if (!(foregroundWeight > 0)) {
      throw new IllegalArgumentException("task " + name + ": foreground weight must be > 0");
    }
  }

  /** A task whose pixels all weigh the same. */
  public Task(String name, int classes, double alpha) {
    this(name, classes, alpha, 1.0);
  }

  /** A task with weight 1. */
  public static Task of(String name, int classes) {
    return new Task(name, classes, 1.0);
  }

  /** This task with pixels of classes 1.. weighing {@code w} times a class-0 pixel. */
  public Task withForegroundWeight(double w) {
    return new Task(name, classes, alpha, w);
  }
}
