package org.lazyseg.fiji;

import ij.Macro;
import ij.Menus;
import ij.macro.Interpreter;
import java.awt.HeadlessException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs an ImageJ macro that uses the LazySeg commands without a display and without Fiji:
 * {@code java -Djava.awt.headless=true -cp "ij.jar:plugins/*:jars/*"
 * org.lazyseg.fiji.HeadlessMacro batch.ijm [ARGUMENT]}. Plain ImageJ 1.x cannot build its
 * menus headless (AWT menus need a display), and so has no command table for {@code run(...)};
 * this fills the table with the commands of our plugins.config (as ImageJ does for a plugin
 * jar) and runs the macro in batch mode. Exit status 0 when the macro ran to its end, 3 when
 * it stopped at an error (its message on stderr), 2 for a wrong command line. ImageJ's macro functions (open, saveAs, makeOval,
 * selectImage, ...) work; ImageJ's own menu commands ({@code run("Gaussian Blur...")}) do not:
 * for those, use Fiji's {@code --headless} mode, which patches ImageJ for this.
 */
public final class HeadlessMacro {
  private HeadlessMacro() {}

  private static final Pattern LINE =
      Pattern.compile("^Plugins>LazySeg, \"([^\"]+)\", ([\\w.]+(?:\\(\"\\w+\"\\))?)$");

  public static void main(String[] args) throws IOException {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: java -Djava.awt.headless=true -cp \"ij.jar:plugins/*:jars/*\" "
          + "org.lazyseg.fiji.HeadlessMacro MACRO.ijm [ARGUMENT]");
      System.exit(2);
    }
    Path macro = Path.of(args[0]);
    if (!Files.isRegularFile(macro)) {
      System.err.println("HeadlessMacro: no such macro file: " + macro);
      System.exit(2);
    }
    System.exit(run(Files.readString(macro), args.length > 1 ? args[1] : null, macro.toString()));
  }

  /**
   * Runs macro code in batch mode with the LazySeg commands; 0 when it ran to its end, 3 when
   * it stopped at an error. ImageJ 1.x shows a macro's error (a syntax error, an unknown
   * command) in a dialog, which without a display is a HeadlessException with no message:
   * this prints the message instead ("Macro error in batch.ijm: Unrecognized command: ...").
   * The LazySeg commands print their own errors (see {@link Commands#error}).
   */
  static int run(String code, String argument, String name) throws IOException {
    registerCommands();
    Interpreter.batchMode = true;
    Commands.macroStopped = false;
    Interpreter interp = new Interpreter();
    boolean failed = false;
    try {
      interp.run(code, argument);
    } catch (HeadlessException e) {
      failed = true;
    } catch (RuntimeException e) {
      if (!Macro.MACRO_CANCELED.equals(e.getMessage())) {
        throw e;
      }
      failed = true;
    }
    if (Commands.macroStopped) {
      return 3;   // the command printed its message
    }
    if (failed || interp.wasError()) {
      // (ImageJ may have logged its dialog's HeadlessException and stack trace before this)
      // (no line number: by now the interpreter may have read past the line of the error)
      System.err.println("Macro error in " + name + ": " + interp.getErrorMessage());
      return 3;
    }
    return 0;
  }

  /** The commands of plugins.config: menu label -> class name (with its argument). */
  public static Map<String, String> commands() throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    try (InputStream in = HeadlessMacro.class.getResourceAsStream("/plugins.config")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        Matcher m = LINE.matcher(line.trim());
        if (m.matches()) {
          out.put(m.group(1), m.group(2));
        }
      }
    }
    return out;
  }

  /**
   * Puts the LazySeg commands into ImageJ's command table, creating the table when ImageJ has
   * none (headless, where its menus cannot be built).
   */
  @SuppressWarnings("unchecked")
  public static synchronized void registerCommands() throws IOException {
    Hashtable<String, String> table = Menus.getCommands();
    if (table == null) {
      try {
        Field f = Menus.class.getDeclaredField("pluginsTable");
        f.setAccessible(true);
        table = new Hashtable<>();
        f.set(null, table);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("this ImageJ has no command table to fill: " + e, e);
      }
    }
    table.putAll(commands());
  }
}
