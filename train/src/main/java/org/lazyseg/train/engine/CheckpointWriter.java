package org.lazyseg.train.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.lazyseg.train.RunFolder;
import org.lazyseg.train.nn.Parameters;

/**
 * Writes checkpoint "last" after every epoch and "best" after an epoch that scored the best so
 * far: parameters.bin and state.json, each checkpoint into a temporary folder that is then
 * renamed into place ({@link RunFolder#publish}), so a kill never leaves half a checkpoint and a
 * killed run resumes from the last one. {@link TrainingRun} always installs it first.
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
    // Best before last: a kill in between resumes from the previous last, which trains this
    // epoch again; the other order could leave "last" naming a best that was never written.
    if (end.best()) {
      write(RunFolder.BEST, end);
    }
    write(RunFolder.LAST, end);
  }

  private void write(String name, EpochEnd end) throws IOException {
    Path tmp = folder.prepareTemporary(name);
    Parameters.save(end.network(), tmp.resolve(RunFolder.PARAMETERS));
    RunFolder.write(tmp.resolve(RunFolder.STATE), end.state());
    folder.publish(tmp, name);
  }
}
