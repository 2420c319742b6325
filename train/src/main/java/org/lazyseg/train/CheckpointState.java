package org.lazyseg.train;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * state.json of a checkpoint: where training stood when its parameters were saved.
 * Adam's moment estimates are not saved (DJL keeps them inside the optimizer with no
 * export), so a resumed run restarts Adam's moments from zero; weights and batch-norm
 * statistics are restored exactly.
 *
 * @param metricsRow the epoch's row of metrics.csv (without line break), so that a start can
 *     add it when a kill came between the checkpoint and the row; null in checkpoints written
 *     before it was recorded
 * @param parametersBytes the size of parameters.bin; 0 when not recorded
 * @param parametersCrc32c the CRC-32C of parameters.bin ({@link RunFolder#checksum}); null
 *     when not recorded
 */
public record CheckpointState(
    int epoch, int round, double bestScore, int bestEpoch, long steps, TrainConfig config,
    ModelSpec spec, String metricsRow, long parametersBytes, String parametersCrc32c) {

  /** The same state, recording the parameter file written with it. */
  public CheckpointState withParameters(long bytes, String crc32c) {
    return new CheckpointState(epoch, round, bestScore, bestEpoch, steps, config, spec,
        metricsRow, bytes, crc32c);
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
