package org.lazyseg.train.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.lazyseg.train.CheckpointState;
import org.lazyseg.train.RunFolder;
import org.lazyseg.train.nn.Parameters;

/**
 * Writes checkpoint "last" after every epoch, and copies it to "best" after an epoch that
 * scored the best so far: parameters.bin, Adam's state (last only) and a state.json that
 * records their sizes and CRC-32Cs, into a temporary folder that is then renamed into place ({@link
 * RunFolder#publish}), so a kill never leaves half a checkpoint and a killed run resumes from
 * the last one. {@link TrainingRun} always installs it first.
 */
final class CheckpointWriter implements TrainingListener {
  private RunFolder folder;
  private Supplier<ResumableAdam> optimizer;

  @Override
  public void onStart(TrainingStart start) throws IOException {
    folder = start.folder();
    Files.createDirectories(folder.checkpoints());
  }

  @Override
  public void onEpochEnd(EpochEnd end) throws IOException {
    // Last first: its rename commits the epoch. Its state names the best epoch, so a kill
    // before best is copied leaves nothing that the next start cannot rebuild from last
    // (Recovery), and RunFolder.checkpoint(BEST) names last meanwhile.
    Path tmp = folder.prepareTemporary(RunFolder.LAST);
    Path parameters = tmp.resolve(RunFolder.PARAMETERS);
    Parameters.save(end.network(), parameters);
    CheckpointState state = end.state().withParameters(Files.size(parameters),
        RunFolder.checksum(parameters));
    ResumableAdam adam = optimizer == null ? null : optimizer.get();
    if (adam != null && adam.updates() > 0) {
      Path moments = tmp.resolve(RunFolder.OPTIMIZER);
      adam.save(end.network(), moments);
      state = state.withOptimizer(Files.size(moments), RunFolder.checksum(moments));
    }
    RunFolder.write(tmp.resolve(RunFolder.STATE), state);
    folder.publish(tmp, RunFolder.LAST);
    if (end.best()) {
      // Best is a model to predict with: Adam's state is only for resuming from last.
      folder.replaceCheckpoint(folder.checkpoints().resolve(RunFolder.LAST), RunFolder.BEST,
          RunFolder.OPTIMIZER);
    }
  }

  /** Where Adam's state comes from (the run's current optimizer); without, none is saved. */
  void optimizer(Supplier<ResumableAdam> source) {
    this.optimizer = source;
  }
}
