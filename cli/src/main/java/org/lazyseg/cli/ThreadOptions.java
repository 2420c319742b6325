package org.lazyseg.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --threads}: shared by every command that runs the network. */
public final class ThreadOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  /** 0 until given (on the command line or as -Dlazyseg.threads=N): all cores. */
  private int threads;

  @Option(names = "--threads", paramLabel = "N",
      description = "CPU threads for the network (1 to 4 per core). Default: the CPUs this process may use (all cores, fewer under taskset or a container CPU quota).",
      defaultValue = "${sys:lazyseg.threads}")
  void setThreads(int n) {
    Limits.threads(mixee, n);
    threads = n;
  }

  public int threads() {
    return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
  }
}
