package org.lazyseg.experiments;

import java.util.Set;
import org.lazyseg.cli.LazySeg;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;

/**
 * {@code bench/experiment}: the paper experiments and the speed benchmark, apart from the
 * {@code lazyseg} commands a user runs. Without a command name the arguments go to
 * {@code experiment} ({@code bench/experiment --preset NAME}, {@code bench/experiment --list});
 * {@code bench/experiment speed ...} times the reference U-Net.
 */
@Command(
    name = "bench/experiment",
    description = {
      "Paper experiments and benchmarks of LazySeg (not part of the lazyseg command).",
      "Without a command name, runs experiment: bench/experiment --preset NAME, bench/experiment --list."
    },
    subcommands = {ExperimentCommand.class, SpeedCommand.class, HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:done",
      "1:internal error",
      "2:wrong command line",
      "3:bad input: a missing, unreadable or inconsistent file (the message names it)"
    })
public final class Experiments {
  /** The first arguments that are not experiment's: a command name, or the top-level help. */
  private static final Set<String> OWN = Set.of("experiment", "speed", "help", "-h", "--help");

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Option(names = "--stacktrace", description = "Print the full stack trace of an error.",
      scope = CommandLine.ScopeType.INHERIT)
  boolean stacktrace;

  public static void main(String[] args) {
    System.exit(commandLine().execute(withCommand(args)));
  }

  /** The configured command line; tests call {@code execute} on it with their own writers. */
  public static CommandLine commandLine() {
    return LazySeg.commandLine(new Experiments());
  }

  /** {@code args} with {@code experiment} in front unless they start with a command name. */
  static String[] withCommand(String[] args) {
    if (args.length > 0 && OWN.contains(args[0])) {
      return args;
    }
    String[] out = new String[args.length + 1];
    out[0] = "experiment";
    System.arraycopy(args, 0, out, 1, args.length);
    return out;
  }
}
