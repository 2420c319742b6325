package org.lazyseg.core.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.lazyseg.core.image.ImageFiles;

/**
 * The checks that keep a command's output folder from destroying a user's files: it must not
 * be (or lie inside) a folder the command reads, and a folder that already holds files must
 * have been written by the same LazySeg command (it carries a marker file, {@value #MARKER})
 * unless the user says to write into it anyway.
 */
public final class OutputFolder {
  /** Name of the marker file a command leaves in the folder it writes; its text names the command. */
  public static final String MARKER = ".lazyseg";

  private OutputFolder() {}

  /**
   * Refuses {@code out} when it is one of {@code inputs} or lies inside one (a file input
   * counts as its folder: outputs named after the input would replace it).
   *
   * @throws DatasetException naming both folders
   */
  public static void requireOutside(Path out, Path... inputs) {
    Path o = real(out);
    for (Path input : inputs) {
      Path folder = Files.isRegularFile(input) ? input.toAbsolutePath().getParent() : input;
      Path in = real(folder);
      if (o.equals(in) || (!Files.isRegularFile(input) && o.startsWith(in))) {
        throw new DatasetException(out + ": " + (o.equals(in) ? "is" : "lies inside")
            + " the input folder " + folder + "; its outputs could replace the input files:"
            + " choose an --out outside it");
      }
    }
  }

  /**
   * Makes {@code out} the output folder of {@code command}: creates it, or accepts it when it
   * is empty or carries this command's marker; a folder with other contents is refused unless
   * {@code anyway}. Leaves the marker, so a rerun (after a kill, or to finish a batch) is
   * accepted.
   *
   * @throws DatasetException when {@code out} is a file or a folder of someone else's files
   */
  public static void claim(Path out, String command, boolean anyway, String anywayOption) {
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new DatasetException(out + ": is a file; --out must name a folder");
    }
    Path marker = out.resolve(MARKER);
    try {
      if (Files.isDirectory(out) && !anyway && !isEmpty(out)) {
        String by = Files.isRegularFile(marker)
            ? Files.readString(marker, StandardCharsets.UTF_8).strip() : null;
        if (!command.equals(by)) {
          throw new DatasetException(out + ": holds files that " + command + " did not write"
              + (by != null ? " (it was written by " + by + ")" : "")
              + "; choose a new or empty folder"
              + (anywayOption != null ? ", or pass " + anywayOption + " to write into it anyway" : ""));
        }
      }
      Files.createDirectories(out);
      if (!Files.isRegularFile(marker)) {
        Path tmp = ImageFiles.newTempFile(out, MARKER, ".tmp");
        Files.writeString(tmp, command + "\n", StandardCharsets.UTF_8);
        ImageFiles.moveAtomically(tmp, marker);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write into " + out + ": " + e.getMessage(), e);
    }
  }

  /**
   * Checks and claims {@code out} as the new dataset folder that {@code command} writes from the
   * dataset in {@code from}: outside it, holding no dataset yet, and no files of others.
   */
  public static void newDataset(Path out, String command, Path from) {
    requireOutside(out, from);
    if (Files.exists(out.resolve("images"))) {
      throw new DatasetException(out + ": already holds a dataset (images/); choose an empty folder");
    }
    claim(out, command, false, null);
  }

  /** Deletes a folder and everything in it; nothing when it does not exist. */
  public static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** Writes a file's contents to the path it is given. */
  @FunctionalInterface
  public interface Contents {
    void writeTo(Path file) throws IOException;
  }

  /**
   * Writes {@code file} as {@code contents} writes it, into a temporary file beside it that
   * is then renamed onto it, so {@code file} is never seen half written (a kill leaves at
   * most a hidden {@code .NAME*.tmp} file).
   */
  public static void writeAtomically(Path file, Contents contents) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = ImageFiles.newTempFile(parent, "." + file.getFileName(), ".tmp");
    try {
      contents.writeTo(tmp);
      ImageFiles.moveAtomically(tmp, file);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  /** The real path of {@code p}, through its nearest existing ancestor when it does not exist. */
  private static Path real(Path p) {
    Path abs = p.toAbsolutePath().normalize();
    Path existing = abs;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return abs;
    }
    try {
      return existing.toRealPath().resolve(existing.relativize(abs)).normalize();
    } catch (IOException e) {
      return abs;
    }
  }
}
