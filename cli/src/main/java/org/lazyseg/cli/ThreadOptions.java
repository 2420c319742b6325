package org.lazyseg.cli;

import picocli.CommandLine.Option;

/** {@code --threads}: shared by every command that runs the network. */
public final class ThreadOptions {
  @Option(names = "--threads", paramLabel = "N",
      description = "CPU threads for the network. Default: all cores.",
      defaultValue = "${sys:lazyseg.threads:-0}")
  int threads;

  public int threads() {
    return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
  }
}
