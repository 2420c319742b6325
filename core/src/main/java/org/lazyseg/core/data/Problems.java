package org.lazyseg.core.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Collects the problems of many files, so that one {@link DatasetException} names them all. */
final class Problems {
  // By message: a file read by two loaders is named once.
  private final Map<String, DatasetException> found = new LinkedHashMap<>();

  /** The step's result, or null after noting its {@link DatasetException}. */
  <T> T check(Supplier<T> step) {
    try {
      return step.get();
    } catch (DatasetException e) {
      add(e);
      return null;
    }
  }

  /** Runs the check, noting its {@link DatasetException}. */
  void run(Runnable check) {
    check(() -> {
      check.run();
      return null;
    });
  }

  void add(DatasetException problem) {
    found.putIfAbsent(problem.getMessage(), problem);
  }

  boolean isEmpty() {
    return found.isEmpty();
  }

  /** Throws {@link DatasetException#of} the problems found, if any. */
  void throwIfAny() {
    if (!found.isEmpty()) {
      throw DatasetException.of(List.copyOf(found.values()));
    }
  }
}
