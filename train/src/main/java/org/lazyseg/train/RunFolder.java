package org.lazyseg.train;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The layout of a training run folder, and its JSON files.
 *
 * <pre>
 * RUN/model.json                  spec + normalisation + tile size: rebuilds the network
 * RUN/metrics.csv                 one row per finished epoch
 * RUN/timing.csv                  where each epoch's time went (only when asked for)
 * RUN/curves.png                  train loss, val loss, val Dice per epoch
 * RUN/checkpoints/last/           parameters.bin + state.json, after every epoch
 * RUN/checkpoints/best/           the same, for the best validation Dice so far
 * </pre>
 *
 * A checkpoint is written to a temporary sibling folder and then renamed into place, so a
 * reader never sees a half-written one (see {@link #publish}).
 */
public record RunFolder(Path root) {
  public static final String LAST = "last";
  public static final String BEST = "best";
  public static final String PARAMETERS = "parameters.bin";
  public static final String STATE = "state.json";

  /** model.json: what a predictor needs besides the parameters. */
  public record SavedModel(ModelSpec spec, int tileSize) {}

  public static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public Path modelFile() { return root.resolve("model.json"); }

  public Path metricsFile() { return root.resolve("metrics.csv"); }

  public Path curvesFile() { return root.resolve("curves.png"); }

  public Path checkpoints() { return root.resolve("checkpoints"); }

  /**
   * The folder of checkpoint {@code name}, or its previous version if a crash happened
   * between the two renames of {@link #publish}; {@code null} if there is none.
   */
  public Path checkpoint(String name) {
    Path current = checkpoints().resolve(name);
    if (Files.isRegularFile(current.resolve(STATE))) {
      return current;
    }
    Path old = checkpoints().resolve(name + ".old");
    return Files.isRegularFile(old.resolve(STATE)) ? old : null;
  }

  /** A fresh, empty temporary folder next to checkpoint {@code name}. */
  public Path prepareTemporary(String name) throws IOException {
    Path tmp = checkpoints().resolve(name + ".tmp");
    deleteRecursively(tmp);
    return Files.createDirectories(tmp);
  }

  /** Moves a finished temporary folder into place as checkpoint {@code name}. */
  public void publish(Path tmp, String name) throws IOException {
    Path target = checkpoints().resolve(name);
    Path old = checkpoints().resolve(name + ".old");
    deleteRecursively(old);
    if (Files.exists(target)) {
      Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    deleteRecursively(old);
  }

  /**
   * Keeps a copy of checkpoint {@code from} as checkpoint {@code to} (e.g. the network after a
   * training stage), written like every checkpoint: a temporary folder renamed into place.
   * Nothing when {@code to} exists already or {@code from} does not.
   *
   * @return whether a copy was made
   */
  public boolean copyCheckpoint(String from, String to) throws IOException {
    Path source = checkpoint(from);
    if (checkpoint(to) != null || source == null) {
      return false;
    }
    Path tmp = prepareTemporary(to);
    try (Stream<Path> files = Files.list(source)) {
      for (Path f : files.toList()) {
        Files.copy(f, tmp.resolve(f.getFileName()));
      }
    }
    publish(tmp, to);
    return true;
  }

  public SavedModel readModel() {
    return read(modelFile(), SavedModel.class);
  }

  public static <T> T read(Path file, Class<T> type) {
    try {
      return JSON.readValue(file.toFile(), type);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Writes JSON via a temporary file and an atomic rename. */
  public static void write(Path file, Object value) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    JSON.writeValue(tmp.toFile(), value);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Writes a text file via a temporary file and an atomic rename. */
  public static void writeString(Path file, CharSequence text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The epoch a run in this folder trains next: 1, or after its last checkpoint. */
  public int nextEpoch() {
    Path last = checkpoint(LAST);
    return last == null ? 1 : read(last.resolve(STATE), CheckpointState.class).epoch() + 1;
  }

  /** Deletes a folder and everything in it; nothing when it does not exist. */
  public static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
