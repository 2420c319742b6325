package org.lazyseg.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --threads}: shared by every command that runs the network. */
public final class ThreadOptions {
  /** More threads than this many per core only make them wait for each other. */
  static final int MAX_PER_CORE = 4;

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  private int threads;

  @Option(names = "--threads", paramLabel = "N",
      description = "CPU threads for the network (1 to 4 per core). Default: all cores.",
      defaultValue = "${sys:lazyseg.threads:-0}")
  void setThreads(int n) {
    int cores = Runtime.getRuntime().availableProcessors();
    if (n < 0 || n > MAX_PER_CORE * cores) {
      throw new ParameterException(mixee.commandLine(), "--threads must be between 1 and "
          + MAX_PER_CORE * cores + " (" + MAX_PER_CORE + " per core), not " + n);
    }
    threads = n;
  }

  public int threads() {
    return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
  }
}
