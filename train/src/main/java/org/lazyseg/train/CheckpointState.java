package org.lazyseg.train;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * state.json of a checkpoint: where training stood when its parameters (and Adam's state,
 * in last) were saved. Weights, batch-norm statistics and Adam's moments and step count are
 * restored exactly, so a resumed run takes the steps an uninterrupted one would have.
 *
 * @param metricsRow the epoch's row of metrics.csv (without line break), so that a start can
 *     add it when a kill came between the checkpoint and the row; null in checkpoints written
 *     before it was recorded
 * @param parametersBytes the size of parameters.bin; 0 when not recorded
 * @param parametersCrc32c the CRC-32C of parameters.bin ({@link RunFolder#checksum}); null
 *     when not recorded
 * @param optimizerBytes the size of the Adam state file ({@link RunFolder#OPTIMIZER}); 0 in
 *     checkpoints written without one (before it was saved)
 * @param optimizerCrc32c its CRC-32C; null when there is none
 */
public record CheckpointState(
    int epoch, int round, double bestScore, int bestEpoch, long steps, TrainConfig config,
    ModelSpec spec, String metricsRow, long parametersBytes, String parametersCrc32c,
    long optimizerBytes, String optimizerCrc32c) {

  /** The same state, recording the parameter file written with it. */
  public CheckpointState withParameters(long bytes, String crc32c) {
    return new CheckpointState(epoch, round, bestScore, bestEpoch, steps, config, spec,
        metricsRow, bytes, crc32c, optimizerBytes, optimizerCrc32c);
  }

  /** The same state, recording the Adam state file written with it. */
  public CheckpointState withOptimizer(long bytes, String crc32c) {
    return new CheckpointState(epoch, round, bestScore, bestEpoch, steps, config, spec,
        metricsRow, parametersBytes, parametersCrc32c, bytes, crc32c);
  }

  /** The state of checkpoint folder {@code checkpoint}; null when missing or unreadable. */
  public static CheckpointState readOrNull(Path checkpoint) {
    Path file = checkpoint.resolve(RunFolder.STATE);
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      return RunFolder.read(file, CheckpointState.class);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
