package org.lazyseg.train;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 * RUN/checkpoints/previous/       the one before last (a fallback if last is found damaged)
 * RUN/checkpoints/best/           the same, for the best validation Dice so far
 * </pre>
 *
 * <p>How an epoch is committed, so that a kill at any instruction leaves a folder that the next
 * start resumes consistently ({@link Recovery#of}):
 *
 * <ol>
 *   <li>checkpoints/last.PID.tmp/ gets parameters.bin and state.json (which records the epoch's
 *       metrics row and the size and CRC-32C of parameters.bin), both flushed to disk;
 *   <li>previous is dropped (renamed to previous.PID.tmp, then deleted);
 *   <li>last is renamed to previous;
 *   <li>last.PID.tmp is renamed to last: <b>the epoch is committed</b>;
 *   <li>if the epoch is the best so far, last is copied to best.PID.tmp, best is renamed to
 *       best.PID.old, best.PID.tmp to best, and best.PID.old is deleted;
 *   <li>metrics.csv and curves.png are rewritten (each a temporary file renamed into place).
 * </ol>
 *
 * Everything after step 4 is rebuilt from last's state.json by the next start, and {@link
 * #checkpoint checkpoint(BEST)} already names last while best lags behind it.
 */
public record RunFolder(Path root) {
  public static final String LAST = "last";
  public static final String BEST = "best";
  /** The checkpoint before last, kept as a fallback; never a best by itself. */
  public static final String PREVIOUS = "previous";
  public static final String PARAMETERS = "parameters.bin";
  public static final String STATE = "state.json";
  /** Adam's moments and step count, in checkpoint last (so that a resume continues them). */
  public static final String OPTIMIZER = "adam.ndlist";

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
   * The folder of checkpoint {@code name}; {@code null} if there is none. Two names read
   * through the commit steps (see the class comment): {@code last}, between the renames of
   * steps 3 and 4, is {@code previous}; {@code best}, when last's state names last's own epoch
   * the best but best does not hold it yet (steps 4 to 5), is {@code last}.
   */
  public Path checkpoint(String name) {
    Path current = checkpoints().resolve(name);
    if (BEST.equals(name)) {
      Path last = checkpoint(LAST);
      CheckpointState s = last == null ? null : CheckpointState.readOrNull(last);
      if (s != null && s.epoch() > 0 && s.bestEpoch() == s.epoch()) {
        CheckpointState b = CheckpointState.readOrNull(current);
        if (b == null || b.epoch() != s.epoch()) {
          return last;
        }
      }
    }
    if (Files.isRegularFile(current.resolve(STATE))) {
      return current;
    }
    Path previous = checkpoints().resolve(PREVIOUS);
    return LAST.equals(name) && Files.isRegularFile(previous.resolve(STATE)) ? previous : null;
  }

  /**
   * A fresh, empty temporary folder next to checkpoint {@code name}, named after this process
   * (NAME.PID.tmp), so that what a killed process left is told apart from what a running one
   * writes.
   */
  public Path prepareTemporary(String name) throws IOException {
    Path tmp = checkpoints().resolve(name + "." + ProcessHandle.current().pid() + ".tmp");
    deleteRecursively(tmp);
    return Files.createDirectories(tmp);
  }

  /**
   * Moves a finished temporary folder into place as checkpoint {@code name}, after flushing
   * its files to disk; the old {@code last} becomes {@code previous}, any other old version
   * is deleted (steps 2 to 5 of the class comment).
   */
  public void publish(Path tmp, String name) throws IOException {
    syncFolder(tmp);
    haltPoint(name + "-written");
    Path target = checkpoints().resolve(name);
    String pid = "." + ProcessHandle.current().pid();
    Path aside = checkpoints().resolve(LAST.equals(name) ? PREVIOUS : name + pid + ".old");
    if (LAST.equals(name) && Files.exists(aside)) {
      // Renamed first: a kill while deleting leaves a .tmp (deleted at start), never a
      // half-deleted previous.
      Path trash = checkpoints().resolve(PREVIOUS + pid + ".tmp");
      Files.move(aside, trash, StandardCopyOption.ATOMIC_MOVE);
      haltPoint("previous-dropped");
      deleteRecursively(trash);
    }
    if (Files.exists(target)) {
      Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
      haltPoint(name + "-aside");
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    sync(checkpoints());
    haltPoint(name + "-committed");
    if (!LAST.equals(name)) {
      deleteRecursively(aside);
    }
  }

  /**
   * Keeps a copy of checkpoint {@code from} as checkpoint {@code to} (e.g. the network after a
   * training stage), written like every checkpoint: a temporary folder renamed into place,
   * without Adam's state (a kept copy is a model, not a place to resume from). Nothing when
   * {@code to} exists already or {@code from} does not.
   *
   * @return whether a copy was made
   */
  public boolean copyCheckpoint(String from, String to) throws IOException {
    Path source = checkpoint(from);
    if (checkpoint(to) != null || source == null) {
      return false;
    }
    replaceCheckpoint(source, to, OPTIMIZER);
    return true;
  }

  /**
   * Makes checkpoint {@code to} a copy of the checkpoint folder {@code source}, without the
   * files named in {@code leaveOut}.
   */
  public void replaceCheckpoint(Path source, String to, String... leaveOut) throws IOException {
    Path tmp = prepareTemporary(to);
    List<String> left = List.of(leaveOut);
    try (Stream<Path> files = Files.list(source)) {
      for (Path f : files.toList()) {
        if (!left.contains(f.getFileName().toString())) {
          Files.copy(f, tmp.resolve(f.getFileName()));
        }
      }
    }
    publish(tmp, to);
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
    writeBytes(file, text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Writes a file via a temporary file and an atomic rename. */
  public static void writeBytes(Path file, byte[] bytes) throws IOException {
    Path tmp = temporary(file);
    Files.write(tmp, bytes);
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
    Path folder = root.toAbsolutePath().normalize();
    Path aside = unusedName(folder.getParent(), folder.getFileName() + ".before-restart");
    Files.createDirectories(aside);
    for (Path p : entries) {
      Files.move(p, aside.resolve(p.getFileName().toString()));
    }
    return aside;
  }

  /**
   * {@code dir/PREFIX-TIME} (local time, yyyyMMdd-HHmmss), with -2, -3, ... appended while that
   * exists: where something is set aside, never onto something set aside before.
   */
  public static Path unusedName(Path dir, String prefix) {
    String base = prefix + "-" + java.time.LocalDateTime.now().format(
        java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path p = dir.resolve(base);
    for (int n = 2; Files.exists(p); n++) {
      p = dir.resolve(base + "-" + n);
    }
    return p;
  }

  /** The CRC-32C of a file, as 8 hex digits (what state.json records of parameters.bin). */
  public static String checksum(Path file) throws IOException {
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    byte[] buffer = new byte[1 << 16];
    try (java.io.InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        crc.update(buffer, 0, n);
      }
    }
    return String.format("%08x", crc.getValue());
  }

  /**
   * What is wrong with a file of a checkpoint, naming it, against the size and CRC-32C that its
   * state.json records (a size of 0 or a null CRC: not recorded, by an older LazySeg); null
   * when it matches.
   */
  public static String mismatch(Path file, long recordedBytes, String recordedCrc32c)
      throws IOException {
    long size = Files.size(file);
    if (recordedBytes > 0 && size != recordedBytes) {
      return file + " is damaged (" + size + " bytes, its state.json records " + recordedBytes
          + ")";
    }
    if (size == 0) {
      return file + " is damaged (empty)";
    }
    if (recordedCrc32c != null && !recordedCrc32c.equals(checksum(file))) {
      return file + " is damaged (its CRC-32C is not the one its state.json records)";
    }
    return null;
  }

  /**
   * Flushes the files of a folder and the folder itself to disk, so that a checkpoint renamed
   * into place survives a power cut too, not only a kill.
   */
  private static void syncFolder(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        try (java.nio.channels.FileChannel c = java.nio.channels.FileChannel.open(f,
            java.nio.file.StandardOpenOption.WRITE)) {
          c.force(true);
        }
      }
    }
    sync(dir);
  }

  /** Flushes a folder's entries (renames) to disk where the system allows it. */
  private static void sync(Path dir) {
    try (java.nio.channels.FileChannel c = java.nio.channels.FileChannel.open(dir,
        java.nio.file.StandardOpenOption.READ)) {
      c.force(true);
    } catch (IOException e) {
      // Folders cannot be opened or flushed on some systems (Windows): the renames still hold.
    }
  }

  /**
   * The system property that names a commit step at which the process halts as if killed:
   * for tests only ({@code CheckpointKillTest} covers every step of the class comment with
   * it). Unset, {@link #haltPoint} does nothing.
   */
  public static final String HALT_PROPERTY = "lazyseg.test.haltAt";

  /** The exit status of a halt at {@link #HALT_PROPERTY}'s step. */
  public static final int HALT_STATUS = 86;

  private static final String HALT_AT = System.getProperty(HALT_PROPERTY);

  /**
   * Test only: halts the JVM at once (no shutdown hooks, no finally blocks: a kill -9) when
   * {@link #HALT_PROPERTY} names {@code step}. Steps: NAME-written, previous-dropped,
   * NAME-aside, NAME-committed (NAME = last, best; see {@link #publish}), metrics-written.
   */
  public static void haltPoint(String step) {
    if (step.equals(HALT_AT)) {
      Runtime.getRuntime().halt(HALT_STATUS);
    }
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
      "[\\w.-]+\\.(json|csv|png)(\\.\\d+)?\\.tmp(\\.png)?|curves\\.tmp(\\.png)?");

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

  /** NAME.old or NAME.PID.old: a checkpoint set aside by {@link #publish}. */
  private static final java.util.regex.Pattern ASIDE = java.util.regex.Pattern.compile(
      "(\\w+)(\\.\\d+)?\\.old");

  /**
   * Tidies what a killed process may have left (call with the lock held): temporary
   * checkpoint folders and files are deleted, and a checkpoint caught between the renames of
   * {@link #publish} is put back ({@code previous} as {@code last}, NAME.PID.old as NAME).
   * {@link Recovery#of} does this first.
   */
  public void removeLeftovers() throws IOException {
    if (Files.isDirectory(checkpoints())) {
      try (Stream<Path> entries = Files.list(checkpoints())) {
        for (Path p : entries.sorted().toList()) {
          String name = p.getFileName().toString();
          java.util.regex.Matcher aside = ASIDE.matcher(name);
          if (name.endsWith(".tmp")) {
            deleteRecursively(p);
          } else if (aside.matches()) {
            // NAME exists once publish renamed the new version into place.
            Path current = checkpoints().resolve(aside.group(1));
            if (Files.exists(current)) {
              deleteRecursively(p);
            } else {
              Files.move(p, current, StandardCopyOption.ATOMIC_MOVE);
            }
          }
        }
      }
      Path last = checkpoints().resolve(LAST);
      Path previous = checkpoints().resolve(PREVIOUS);
      if (!Files.exists(last) && Files.exists(previous)) {
        Files.move(previous, last, StandardCopyOption.ATOMIC_MOVE);
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

  /**
   * The epoch a run in this folder trains next: 1, or after its newest intact checkpoint
   * (the one {@link Recovery#of} resumes from).
   */
  public int nextEpoch() {
    Path from = Recovery.resumePoint(this);
    return from == null ? 1 : CheckpointState.readOrNull(from).epoch() + 1;
  }

  /**
   * What epochs 1 to {@code epochs} took, in seconds (metrics.csv's seconds column: steps and
   * validation, by whichever process trained them); 0 without a metrics.csv.
   */
  public double epochSeconds(int epochs) throws IOException {
    if (!Files.isRegularFile(metricsFile())) {
      return 0;
    }
    double sum = 0;
    // Numbers only (MetricsLog writes it), so a split needs no CSV library.
    List<String> lines = Files.readAllLines(metricsFile());
    int column = List.of(lines.get(0).split(",")).indexOf("seconds");
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      if (column >= 0 && Integer.parseInt(f[0]) <= epochs) {
        sum += Double.parseDouble(f[column]);
      }
    }
    return sum;
  }

  /** Deletes a folder and everything in it; nothing when it does not exist. */
  public static void deleteRecursively(Path dir) throws IOException {
    org.lazyseg.core.data.OutputFolder.deleteRecursively(dir);
  }
}
