package org.lazyseg.train.data;

/**
 * A ready batch as plain arrays: {@code images} is (N, C, S, S) row-major,
 * {@code targets[t]} is (N, S, S) for task t. The training step only wraps these.
 */
public record Batch(int size, int channels, int crop, float[] images, int[][] targets) {}
