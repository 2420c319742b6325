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
import java.util.List;
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

  /**
   * A temporary sibling of {@code file}, unique to this process, so that two processes never
   * write the same temporary file (the run lock keeps two trainings apart anyway).
   */
  public static Path temporary(Path file) {
    return file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid()
        + ".tmp");
  }

  /** Writes JSON via a temporary file and an atomic rename. */
  public static void write(Path file, Object value) throws IOException {
    Path tmp = temporary(file);
    JSON.writeValue(tmp.toFile(), value);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Writes a text file via a temporary file and an atomic rename. */
  public static void writeString(Path file, CharSequence text) throws IOException {
    Path tmp = temporary(file);
    Files.writeString(tmp, text);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Moves everything in this run folder but its lock into a new sibling folder,
   * {@code NAME.before-restart-TIME}, and returns it (null when there was nothing to move):
   * a restart never deletes, in case the folder held more than LazySeg wrote. Call it while
   * holding the lock.
   */
  public Path setAside() throws IOException {
    if (!Files.isDirectory(root)) {
      return null;
    }
    List<Path> entries;
    try (Stream<Path> list = Files.list(root)) {
      entries = list.filter(p -> !p.equals(lockFile())).toList();
    }
    if (entries.isEmpty()) {
      return null;
    }
    String time = java.time.LocalDateTime.now().format(
        java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path aside = root.toAbsolutePath().normalize().resolveSibling(
        root.toAbsolutePath().normalize().getFileName() + ".before-restart-" + time);
    for (int n = 2; Files.exists(aside); n++) {
      aside = aside.resolveSibling(root.toAbsolutePath().normalize().getFileName()
          + ".before-restart-" + time + "-" + n);
    }
    Files.createDirectories(aside);
    for (Path p : entries) {
      Files.move(p, aside.resolve(p.getFileName().toString()));
    }
    return aside;
  }

  /** The file whose lock marks a run folder as being trained. */
  public Path lockFile() {
    return root.resolve(".lock");
  }

  /**
   * The run folder cannot take this training: another process trains in it, or it holds a
   * run of another network, method or dataset. The message says which.
   */
  public static final class ConflictException extends RuntimeException {
    public ConflictException(String message) {
      super(message);
    }
  }

  /** Names of the temporary files LazySeg writes in a run folder (never a user's file). */
  private static final java.util.regex.Pattern LEFTOVER = java.util.regex.Pattern.compile(
      "[\\w.-]+\\.(json|csv)(\\.\\d+)?\\.tmp|curves\\.tmp(\\.png)?");

  /**
   * Refuses a folder that LazySeg would write into without having made it: a file, or a
   * folder with contents but none of a run's files (so a mistyped --out never overwrites a
   * user's data).
   */
  public void requireRunOrNew() throws IOException {
    if (Files.exists(root) && !Files.isDirectory(root)) {
      throw new ConflictException(root + " is a file, not a run folder");
    }
    if (!Files.isDirectory(root)) {
      return;
    }
    // (pretrain/ is the first phase of a two-phase method, prepared before the second.)
    boolean ours = Files.exists(modelFile()) || Files.exists(checkpoints())
        || Files.exists(lockFile()) || Files.exists(root.resolve("training-data.json"))
        || Files.exists(metricsFile()) || Files.isDirectory(root.resolve("pretrain"));
    boolean empty;
    try (Stream<Path> entries = Files.list(root)) {
      empty = entries.findAny().isEmpty();
    }
    if (!ours && !empty) {
      throw new ConflictException(root + " is not empty and is not a LazySeg run folder;"
          + " train into a new folder");
    }
  }

  /** Locks held by this process, by folder, with how often each is held (re-entrant). */
  private static final java.util.Map<Path, Object[]> HELD = new java.util.HashMap<>();

  /**
   * Locks this run folder for training until the returned handle is closed: a second process
   * that tries gets a {@link ConflictException} naming the holder. The operating system releases
   * the lock when the process dies (also on kill -9). The same process may lock a folder it
   * holds again (nested phases).
   */
  public java.io.Closeable lock() throws IOException {
    requireRunOrNew();
    Path key = root.toAbsolutePath().normalize();
    synchronized (HELD) {
      Object[] held = HELD.get(key);
      if (held != null) {
        held[1] = (Integer) held[1] + 1;
        return () -> release(key);
      }
      Files.createDirectories(root);
      java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(lockFile(),
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.READ,
          java.nio.file.StandardOpenOption.WRITE);
      java.nio.channels.FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
      if (lock == null) {
        String holder = new String(Files.readAllBytes(lockFile()),
            java.nio.charset.StandardCharsets.UTF_8).trim();
        channel.close();
        throw new ConflictException(root + " is being trained by another process ("
            + (holder.isEmpty() ? "unknown" : holder) + "); wait for it to finish or train"
            + " into another folder");
      }
      channel.truncate(0);
      channel.write(java.nio.ByteBuffer.wrap(("pid " + ProcessHandle.current().pid()
          + ", since " + java.time.Instant.now()).getBytes(
              java.nio.charset.StandardCharsets.UTF_8)));
      HELD.put(key, new Object[] {channel, 1});
      return () -> release(key);
    }
  }

  private static void release(Path key) throws IOException {
    synchronized (HELD) {
      Object[] held = HELD.get(key);
      if (held == null) {
        return;
      }
      int count = (Integer) held[1] - 1;
      if (count > 0) {
        held[1] = count;
        return;
      }
      HELD.remove(key);
      ((java.nio.channels.FileChannel) held[0]).close();   // releases the lock
    }
  }

  /**
   * Tidies what a killed process may have left (call with the lock held): temporary
   * checkpoint folders and files are deleted, and a checkpoint caught between the two renames
   * of {@link #publish} is put back from its previous version.
   */
  public void removeLeftovers() throws IOException {
    if (Files.isDirectory(checkpoints())) {
      try (Stream<Path> entries = Files.list(checkpoints())) {
        for (Path p : entries.toList()) {
          String name = p.getFileName().toString();
          if (name.endsWith(".tmp")) {
            deleteRecursively(p);
          } else if (name.endsWith(".old")) {
            Path current = checkpoints().resolve(name.substring(0, name.length() - 4));
            if (Files.isRegularFile(current.resolve(STATE))) {
              deleteRecursively(p);
            } else {
              deleteRecursively(current);
              Files.move(p, current, StandardCopyOption.ATOMIC_MOVE);
            }
          }
        }
      }
    }
    if (Files.isDirectory(root)) {
      try (Stream<Path> entries = Files.list(root)) {
        for (Path p : entries.toList()) {
          String name = p.getFileName().toString();
          if (Files.isRegularFile(p) && LEFTOVER.matcher(name).matches()) {
            Files.delete(p);
          }
        }
      }
    }
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
