package org.lazyseg.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.lazyseg.core.data.DatasetException;
import org.lazyseg.core.image.ImageFiles.ImageFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;

/** The {@code lazyseg} command: routes to one class per subcommand. */
@Command(
    name = "lazyseg",
    mixinStandardHelpOptions = true,
    versionProvider = LazySeg.Version.class,
    description = "Train segmentation networks from lazy labels, segment images of any size, measure results.",
    subcommands = {
      DemoCommand.class,
      TrainCommand.class,
      PredictCommand.class,
      EvaluateCommand.class,
      SimulateCommand.class,
      PatchesCommand.class,
      ImportCommand.class,
      ExportCommand.class,
      HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:done",
      "1:internal error (a bug: please report it with --stacktrace output)",
      "2:wrong command line, or a number whose memory cannot fit this machine (checked before anything is allocated)",
      "3:bad input or a conflict: a missing, unreadable or inconsistent file, a run folder in use or of another training, training that diverged, out of memory (the message says which and what to do); predict: some images could not be read (each named), the others were segmented"
    })
public final class LazySeg {
  /** Exit code for user input problems: a file missing, unreadable or inconsistent. */
  public static final int EXIT_INPUT = 3;

  @Option(names = "--stacktrace", description = "Print the full stack trace of an error.", scope = CommandLine.ScopeType.INHERIT)
  boolean stacktrace;

  public static void main(String[] args) {
    standalone = true;
    System.exit(commandLine().execute(args));
  }

  /** Whether this JVM runs one command from {@link #main} (not commands called in-process). */
  private static volatile boolean standalone;

  /**
   * When a command's time budget starts: the JVM's start for a command run from
   * {@link #main}, so that it holds start-up and loading; else (commands called in a longer
   * lived JVM, e.g. tests) {@code called}, the {@link System#nanoTime} the command was called.
   */
  static long commandStart(long called) {
    return standalone ? org.lazyseg.train.engine.TimeBudget.processStartNanos() : called;
  }

  /** The configured command line; tests call {@code execute} on it with their own writers. */
  public static CommandLine commandLine() {
    CommandLine cl = commandLine(new LazySeg());
    // The methods and their settings come from their declarations (ServiceLoader).
    cl.getSubcommands().get("train").getCommandSpec().usageMessage().footer(
        "%nMethods and their settings (-O key=value):%n"
            + org.lazyseg.train.method.MethodDocs.helpText(
                org.lazyseg.train.method.Methods.all()).replace("%", "%%"));
    return cl;
  }

  /**
   * A command line for another top-level command (the experiments' entry point) that reports
   * errors as this one does: one line and exit code 3 for bad input, {@code --stacktrace}
   * (an option {@code command} must have) for the trace.
   */
  public static CommandLine commandLine(Object command) {
    CommandLine cl = new CommandLine(command);
    cl.setExecutionExceptionHandler(LazySeg::handle);
    cl.setParameterExceptionHandler(LazySeg::usageError);
    // An Error passes picocli's exception handler by; running out of memory is the one a
    // user can do something about, so it gets the same one line.
    CommandLine.IExecutionStrategy run = cl.getExecutionStrategy();
    cl.setExecutionStrategy(parsed -> {
      try {
        return run.execute(parsed);
      } catch (OutOfMemoryError e) {
        return handle(new OutOfMemory(e), parsed.commandSpec().commandLine(), parsed);
      }
    });
    return cl;
  }

  /**
   * A command-line mistake: one line naming it and where the options are listed, exit 2
   * (picocli's default prints the whole usage, which buries the one line that matters).
   */
  private static int usageError(CommandLine.ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    PrintWriter err = cl.getErr();
    String name = cl.getCommandSpec().qualifiedName();
    StringBuilder line = new StringBuilder(name).append(": ").append(e.getMessage());
    if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
      line.append(" (did you mean ").append(String.join(" or ", u.getSuggestions())).append("?)");
    }
    line.append(" (").append(name).append(" --help lists the options)");
    err.println(line.toString().replace('\n', ' '));
    err.flush();
    return cl.getCommandSpec().exitCodeOnInvalidInput();
  }

  /** Prints one line naming the problem instead of a stack trace, and maps it to an exit code. */
  private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
    PrintWriter err = cl.getErr();
    boolean trace = parsed.hasMatchedOption("--stacktrace");
    int code;
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    String memory = outOfMemory(e, parsed);
    String engine = memory == null ? engineMissing(e) : null;
    if (memory != null) {
      err.println("lazyseg: error: " + memory);
      code = EXIT_INPUT;
    } else if (engine != null) {
      err.println("lazyseg: error: " + engine);
      code = EXIT_INPUT;
    } else if (isInputError(e)) {
      err.println("lazyseg: error: " + message);
      code = EXIT_INPUT;
    } else {
      err.println("lazyseg: internal error: " + e);
      code = CommandLine.ExitCode.SOFTWARE;
    }
    if (trace) {
      e.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  /**
   * One line saying what ran out and what to do, when {@code e} or one of its causes is
   * Java's OutOfMemoryError or PyTorch's failure to allocate (DJL's EngineException: "CUDA
   * out of memory", "DefaultCPUAllocator: can't allocate memory"); else null.
   */
  static String outOfMemory(Throwable e, CommandLine.ParseResult parsed) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof OutOfMemoryError) {
        return String.format(Locale.ROOT, "out of memory: the Java heap (%s) is full (%s): %s"
            + "give Java more with LAZYSEG_JAVA_OPTS=-Xmx<size> (e.g. -Xmx16g)",
            Limits.bytes(Runtime.getRuntime().maxMemory()),
            t.getMessage() != null ? t.getMessage() : "no message", lessFor(parsed, ", or "));
      }
      String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
      if (t instanceof ai.djl.engine.EngineException && (m.contains("out of memory")
          || m.contains("can't allocate memory") || m.contains("cannot allocate memory"))) {
        return "out of memory: PyTorch could not allocate (" + firstLine(t.getMessage())
            + "): " + lessFor(parsed, "; ") + "PyTorch's memory is outside the Java heap, so"
            + " a smaller -Xmx in LAZYSEG_JAVA_OPTS leaves it more";
      }
    }
    return null;
  }

  /**
   * One line when PyTorch's native library could not be found or loaded (DJL's
   * EngineException while it looks for or downloads the library: a build without it,
   * {@code mvn -Pgpu}, run offline); else null.
   */
  static String engineMissing(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String m = t.getMessage() == null ? "" : t.getMessage();
      if (t instanceof ai.djl.engine.EngineException && (m.contains("pytorch index file")
          || m.contains("native library") || m.contains("No deep learning engine"))) {
        boolean offline = Boolean.getBoolean("ai.djl.offline");
        return "PyTorch's native library could not be loaded (" + firstLine(m) + "): "
            + (offline ? "a build without it (mvn -Pgpu) needs LAZYSEG_DOWNLOAD_PYTORCH=1 to"
                + " download it on first use, or rebuild without -Pgpu (README, GPU)"
                : "the download failed or the library does not fit this machine; see README, GPU");
      }
    }
    return null;
  }

  /**
   * "try a smaller --tile or fewer --threads" and {@code then}, for the command that ran; ""
   * for a command with no option that saves memory.
   */
  private static String lessFor(CommandLine.ParseResult parsed, String then) {
    CommandLine.Model.CommandSpec command = parsed == null ? null : last(parsed).commandSpec();
    String options = command == null ? "" : switch (command.name()) {
      case "predict" -> "a smaller --tile";
      case "train", "demo" -> "a smaller --crop, --batch or --width";
      default -> "";
    };
    if (command != null && command.findOption("--threads") != null) {
      options += (options.isEmpty() ? "" : options.contains(",") ? ", or " : " or ")
          + "fewer --threads";
    }
    return options.isEmpty() ? "" : "try " + options + then;
  }

  private static CommandLine.ParseResult last(CommandLine.ParseResult parsed) {
    while (parsed.hasSubcommand()) {
      parsed = parsed.subcommand();
    }
    return parsed;
  }

  private static String firstLine(String message) {
    String line = message == null ? "" : message.strip().lines().findFirst().orElse("");
    int enforce = line.indexOf("] ");   // PyTorch's "[enforce fail at alloc_cpu.cpp:119] "
    return line.startsWith("[enforce") && enforce > 0 ? line.substring(enforce + 2) : line;
  }

  /** An OutOfMemoryError carried as the Exception that {@link #handle} takes. */
  private static final class OutOfMemory extends RuntimeException {
    OutOfMemory(OutOfMemoryError cause) {
      super(cause.getMessage(), cause);
    }
  }

  static boolean isInputError(Throwable e) {
    return e instanceof DatasetException
        || e instanceof ImageFileException
        || e instanceof InputException
        || e instanceof java.io.UncheckedIOException
        // A checked I/O failure (disk full, no permission, a file where a folder should be)
        // comes from the user's files or machine, not from a bug.
        || e instanceof java.io.IOException
        || e instanceof org.lazyseg.train.RunFolder.ConflictException
        || e instanceof org.lazyseg.train.engine.TrainingRun.DivergedException;
  }

  /** A problem with what the user gave us; its message is one line naming the file. */
  public static final class InputException extends RuntimeException {
    public InputException(String message) {
      super(message);
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = LazySeg.class.getPackage().getImplementationVersion();
      return new String[] {"lazyseg " + (v == null ? "0.1.0-SNAPSHOT" : v)};
    }
  }
}
