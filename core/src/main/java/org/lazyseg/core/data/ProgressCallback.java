package org.lazyseg.core.data;

/** Told after each sample of a long pass over a dataset (validation), e.g. to draw a bar. */
@FunctionalInterface
public interface ProgressCallback {
  /** Reports nothing. */
  ProgressCallback NONE = (done, total, id) -> { };

  /** {@code done} of {@code total} samples are finished, the last one being {@code id}. */
  void progress(int done, int total, String id);
}
