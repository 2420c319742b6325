package org.lazyseg.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * What a training start does to its run folder (locked) before it resumes, so that whatever a
 * kill, a power cut or a damaged disk left, training goes on from the newest intact checkpoint
 * and best matches the state that names it:
 *
 * <ol>
 *   <li>leftovers of a kill are tidied ({@link RunFolder#removeLeftovers});
 *   <li>a damaged checkpoint (state.json missing or unreadable, parameters.bin missing or not
 *       the size and CRC-32C that state.json records) is renamed aside as
 *       NAME.damaged-TIME, never deleted; a damaged last is replaced by the newest intact of
 *       previous and best, and training resumes from there; with none, the start fails
 *       naming the damaged file;
 *   <li>best is made the checkpoint of the best epoch that last's state names, copied from
 *       last or previous (a kill after last was committed and before best was copied leaves
 *       the old one); when neither holds that epoch, a best of another epoch is set aside as
 *       best.unmatched-TIME and the run tracks the best anew ({@link #bestLost}).
 * </ol>
 *
 * Metrics rows are settled by the metrics log from last's state (it records its row).
 *
 * @param notes one line each on what was damaged and what was done about it (the run tells
 *     its listeners, {@code TrainingListener.onMessage}); empty when nothing was
 * @param bestLost no intact checkpoint of the best epoch that last's state names is left:
 *     the run tracks the best anew, from the epochs it trains now
 */
public record Recovery(List<String> notes, boolean bestLost) {

  /** Tidies and repairs {@code folder}; call with its lock held. */
  public static Recovery of(RunFolder folder) throws IOException {
    folder.removeLeftovers();
    Path last = folder.checkpoints().resolve(RunFolder.LAST);
    Path previous = folder.checkpoints().resolve(RunFolder.PREVIOUS);
    Path best = folder.checkpoints().resolve(RunFolder.BEST);
    String lastDamage = damageIfPresent(last);
    String previousDamage = damageIfPresent(previous);
    String bestDamage = damageIfPresent(best);
    Path from = null;
    if (lastDamage != null) {
      from = newest(previousDamage == null ? previous : null, bestDamage == null ? best : null);
      if (from == null) {
        throw new UncheckedIOException(new IOException(lastDamage + ", and no intact"
            + " checkpoint (previous, best) is left to resume from; move " + last
            + " away to train afresh"));
      }
    }
    List<String> notes = new ArrayList<>();
    if (previousDamage != null) {
      notes.add(previousDamage + "; set aside as checkpoints/"
          + setAside(folder, previous, "damaged"));
    }
    if (bestDamage != null) {
      notes.add(bestDamage + "; set aside as checkpoints/" + setAside(folder, best, "damaged"));
    }
    if (lastDamage != null) {
      String aside = setAside(folder, last, "damaged");
      int epoch = CheckpointState.readOrNull(from).epoch();
      String name = from.getFileName().toString();
      if (from.equals(previous)) {
        Files.move(previous, last, StandardCopyOption.ATOMIC_MOVE);
      } else {
        folder.replaceCheckpoint(from, RunFolder.LAST);
      }
      notes.add(lastDamage + "; set aside as checkpoints/" + aside + ", resuming from"
          + " checkpoints/" + name + " (epoch " + epoch + ")");
    }
    return new Recovery(notes, settleBest(folder, notes));
  }

  /**
   * Makes best the checkpoint of the best epoch that last's state names, from last or
   * previous; true when neither holds it (it is lost).
   */
  private static boolean settleBest(RunFolder folder, List<String> notes) throws IOException {
    Path last = folder.checkpoints().resolve(RunFolder.LAST);
    Path previous = folder.checkpoints().resolve(RunFolder.PREVIOUS);
    Path best = folder.checkpoints().resolve(RunFolder.BEST);
    CheckpointState s = CheckpointState.readOrNull(last);
    CheckpointState b = CheckpointState.readOrNull(best);
    if (s == null || (b == null ? s.bestEpoch() == 0 : b.epoch() == s.bestEpoch())) {
      return false;
    }
    CheckpointState p = damageIfPresent(previous) == null
        ? CheckpointState.readOrNull(previous) : null;
    Path source = s.bestEpoch() == s.epoch() ? last
        : p != null && p.epoch() == s.bestEpoch() ? previous : null;
    if (source != null) {
      folder.replaceCheckpoint(source, RunFolder.BEST, RunFolder.OPTIMIZER);
      return false;
    }
    if (b != null) {
      notes.add("checkpoints/best holds epoch " + b.epoch() + ", not the best epoch "
          + s.bestEpoch() + " that checkpoints/last names; set aside as checkpoints/"
          + setAside(folder, best, "unmatched"));
    }
    notes.add("no checkpoint of the best epoch " + s.bestEpoch() + " is left; checkpoints/best"
        + " will be the best of the epochs trained from now on");
    return true;
  }

  /**
   * The checkpoint a start resumes from, without changing anything: last (or previous when a
   * kill came between the renames that replace last), else when that is damaged the newest
   * intact of previous and best; null for a new run or when no intact one is left.
   */
  public static Path resumePoint(RunFolder folder) {
    Path last = folder.checkpoints().resolve(RunFolder.LAST);
    Path previous = folder.checkpoints().resolve(RunFolder.PREVIOUS);
    Path best = folder.checkpoints().resolve(RunFolder.BEST);
    if (!Files.exists(last)) {
      last = previous;
      previous = null;
    }
    if (!Files.exists(last)) {
      return null;
    }
    return damage(last) == null ? last : newest(previous, best);
  }

  /** The intact one of higher epoch (the first on a tie); null when neither is intact. */
  private static Path newest(Path a, Path b) {
    CheckpointState sa = a != null && damageIfPresent(a) == null ? CheckpointState.readOrNull(a)
        : null;
    CheckpointState sb = b != null && damageIfPresent(b) == null ? CheckpointState.readOrNull(b)
        : null;
    if (sa == null || sb == null) {
      return sa != null ? a : sb != null ? b : null;
    }
    return sb.epoch() > sa.epoch() ? b : a;
  }

  private static String damageIfPresent(Path checkpoint) {
    return Files.exists(checkpoint) ? damage(checkpoint) : null;
  }

  /**
   * What is wrong with a checkpoint folder, naming the file; null when it is intact: its
   * state.json reads, and its parameters.bin has the size and CRC-32C that state.json records
   * (state files from before these were recorded: exists and is not empty).
   */
  public static String damage(Path checkpoint) {
    Path stateFile = checkpoint.resolve(RunFolder.STATE);
    Path parameters = checkpoint.resolve(RunFolder.PARAMETERS);
    if (!Files.isRegularFile(stateFile)) {
      return stateFile + " is missing";
    }
    CheckpointState s;
    try {
      s = RunFolder.JSON.readValue(stateFile.toFile(), CheckpointState.class);
    } catch (IOException | RuntimeException e) {
      return stateFile + " is damaged (" + String.valueOf(e.getMessage()).lines().findFirst()
          .orElse("") + ")";
    }
    if (s == null || s.epoch() < 1 || s.spec() == null || s.config() == null) {
      return stateFile + " is damaged (no epoch, network or settings)";
    }
    if (!Files.isRegularFile(parameters)) {
      return parameters + " is missing";
    }
    try {
      return RunFolder.mismatch(parameters, s.parametersBytes(), s.parametersCrc32c());
    } catch (IOException e) {
      return parameters + " cannot be read (" + e + ")";
    }
  }

  /** Renames a checkpoint folder to NAME.WHY-TIME and returns that name. */
  private static String setAside(RunFolder folder, Path checkpoint, String why)
      throws IOException {
    Path target = RunFolder.unusedName(folder.checkpoints(),
        checkpoint.getFileName() + "." + why);
    Files.move(checkpoint, target, StandardCopyOption.ATOMIC_MOVE);
    return target.getFileName().toString();
  }
}
