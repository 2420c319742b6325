package org.lazyseg.train.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.lazyseg.train.RunFolder;
import org.lazyseg.train.nn.Parameters;

/**
 * Writes checkpoint "last" after every epoch, and copies it to "best" after an epoch that
 * scored the best so far: parameters.bin and a state.json that records the parameters' size
 * and CRC-32C, into a temporary folder that is then renamed into place ({@link
 * RunFolder#publish}), so a kill never leaves half a checkpoint and a killed run resumes from
 * the last one. {@link TrainingRun} always installs it first.
 */
final class CheckpointWriter implements TrainingListener {
  private RunFolder folder;

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
    RunFolder.write(tmp.resolve(RunFolder.STATE), end.state().withParameters(
        Files.size(parameters), RunFolder.checksum(parameters)));
    folder.publish(tmp, RunFolder.LAST);
    if (end.best()) {
      folder.replaceCheckpoint(folder.checkpoints().resolve(RunFolder.LAST), RunFolder.BEST);
    }
  }
}
