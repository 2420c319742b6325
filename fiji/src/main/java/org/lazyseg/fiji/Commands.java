package org.lazyseg.fiji;

import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.Prefs;
import ij.io.FileInfo;
import ij.macro.Interpreter;
import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.lazyseg.api.SegmentationModel;
import org.lazyseg.core.data.DatasetException;
import org.lazyseg.core.image.ImageFiles;

/** What every LazySeg command shares: messages, remembered folders, running an action. */
final class Commands {
  private Commands() {}

  static {
    // The PyTorch library is in jars/ (pytorch-native-cpu): never download one at run time.
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
  }

  /** An action of a command; what it throws becomes one message. */
  interface Action {
    void run() throws IOException;
  }

  /**
   * Runs {@code action}; a user's mistake or a bad file gives one message (ImageJ's error
   * dialog, or a line on the console when headless; a running macro stops, as with ImageJ's
   * own errors), an unexpected failure that message plus its stack trace in the Log.
   */
  static void run(String command, Action action) {
    ClassLoader before = Thread.currentThread().getContextClassLoader();
    // DJL and the training methods are found through ServiceLoader on the context class
    // loader; in Fiji that may be the plugin class loader, which does not see jars/.
    Thread.currentThread().setContextClassLoader(Commands.class.getClassLoader());
    try {
      action.run();
    } catch (Images.Problem | DatasetException | ImageFiles.ImageFileException
        | IllegalArgumentException e) {
      error(command, e.getMessage());
    } catch (IOException | UncheckedIOException e) {
      error(command, e.getMessage());
    } catch (RuntimeException e) {
      if (e.getClass().getName().startsWith("org.lazyseg.")) {
        // LazySeg's own exceptions (a run folder in use or of another training, a training
        // that diverged) carry a one-line message for the user.
        error(command, e.getMessage());
        return;
      }
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      IJ.log(command + ": " + trace);
      error(command, "failed: " + e + " (details in the Log window)");
    } finally {
      Thread.currentThread().setContextClassLoader(before);
    }
  }

  /** Whether a LazySeg command stopped a headless macro (for {@link HeadlessMacro}'s exit status). */
  static volatile boolean macroStopped;

  /**
   * One message naming the command. In a macro run headless, ImageJ 1.x would show the error
   * in its macro error dialog, which without a display is a HeadlessException and its stack
   * trace: there the message goes to the console (stderr) as "COMMAND: message" and the
   * macro stops, as after ImageJ's own errors.
   */
  static void error(String command, String message) {
    Interpreter macro = Interpreter.getInstance();
    if (GraphicsEnvironment.isHeadless() && macro != null && !macro.done()) {
      System.err.println(command + ": " + message);
      macroStopped = true;
      macro.setIgnoreErrors(true);   // abort without the dialog
      macro.abort(command + ": " + message);
      throw new RuntimeException(Macro.MACRO_CANCELED);
    }
    IJ.error(command, message);
  }

  /** A line in the Log window (the console when headless), prefixed "LazySeg". */
  static void log(String line) {
    IJ.log("LazySeg: " + line);
  }

  /** {@link SegmentationModel#cpuWarning}'s warning in the Log window, where there is one. */
  static void warnAboutTheCpu() {
    SegmentationModel.cpuWarning().ifPresent(w -> log("WARNING: " + w
        + ". For Fiji: start it from a shell where that variable is set"));
  }

  /** The dataset folder an image was opened from (DATA/images/x.png: DATA), else the last used. */
  static String defaultDataset(ImagePlus imp) {
    FileInfo info = imp == null ? null : imp.getOriginalFileInfo();
    if (info != null && info.directory != null) {
      Path dir = Path.of(info.directory).toAbsolutePath().normalize();
      if (dir.getFileName() != null && dir.getFileName().toString().equals("images")
          && dir.getParent() != null) {
        return dir.getParent().toString();
      }
    }
    return Prefs.get("lazyseg.dataset", "");
  }

  static void rememberDataset(String dir) {
    Prefs.set("lazyseg.dataset", dir);
  }

  static String lastModel() {
    return Prefs.get("lazyseg.model", "");
  }

  static void rememberModel(String dir) {
    Prefs.set("lazyseg.model", dir);
  }

  /** The label of the threads field of Train and Segment (macro key {@code threads}). */
  static final String THREADS = "Threads (CPU; 0 = all this process may use)";

  /**
   * A threads option: 0 for every CPU this process may use, else the count (PyTorch keeps one
   * pool of threads per process: the last command sets it).
   */
  static int threads(double value) {
    if (!(value >= 0) || value != Math.rint(value) || value > 1024) {
      throw new Images.Problem("threads must be a whole number >= 0 (0: all CPUs), not " + value);
    }
    return value == 0 ? Math.max(1, Runtime.getRuntime().availableProcessors()) : (int) value;
  }

  /** A folder option: required, as an absolute path. */
  static Path folder(String option, String value) {
    if (value == null || value.isBlank()) {
      throw new Images.Problem("no " + option + " folder given (" + option + "=[/path/to/folder])");
    }
    return Path.of(value).toAbsolutePath().normalize();
  }
}
