package org.lazyseg.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.lazyseg.core.data.Dataset;
import org.lazyseg.core.data.Patches;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lazyseg patches}: cuts a dataset into tagged positive and negative patches. */
@Command(
    name = "patches",
    mixinStandardHelpOptions = true,
    header = "Cut large images into S x S patches tagged present / absent (for --method tags).",
    description = "Covers every image with a grid of S x S patches (the last row and column flush with the border) and writes them as a dataset: images/, masks/ (where the source has masks), tags.csv (a class is present iff one of its pixels is in the patch), split.csv (the source image's split) and patches.csv (where each patch came from). Images with tags only: the patches of an all-absent image are negative, those of an image with a present class are left out. Same seed, same output.")
final class PatchesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--from", required = true, paramLabel = "DATA", description = "Dataset with masks or tags.")
  Path from;

  @Option(names = "--out", required = true, paramLabel = "DATA2", description = "New dataset folder (must not hold one already).")
  Path out;

  @Option(names = "--size", defaultValue = "128", paramLabel = "S", description = "Patch side in pixels. Default: ${DEFAULT-VALUE}.")
  int size;

  @Option(names = "--stride", paramLabel = "T", description = "Distance between neighbouring patches. Default: the patch size (no overlap).")
  Integer stride;

  @Option(names = "--min-pixels", defaultValue = "1", paramLabel = "M",
      description = "Leave out patches in which a class covers 1 to M-1 pixels (slivers of objects cut by the patch border). Default: ${DEFAULT-VALUE} (keep all).")
  int minPixels;

  @Option(names = "--balance", description = "Keep equally many positive and negative patches in each split (a seeded random surplus is dropped).")
  boolean balance;

  @Option(names = "--limit", defaultValue = "0", paramLabel = "N",
      description = "Keep at most N positive and N negative patches in each split (a seeded random choice). Default: ${DEFAULT-VALUE} (no limit).")
  int limit;

  @Option(names = "--seed", defaultValue = "0", description = "Seed for --balance and --limit. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Override
  public Integer call() {
    PrintWriter log = spec.commandLine().getErr();
    Patches.Options options;
    try {
      options = new Patches.Options(size, stride != null ? stride : size, minPixels, balance,
          limit, seed);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    Patches.Summary s = Patches.cut(Dataset.open(from), out, options, (done, total, id) -> {});
    log.println("lazyseg: " + out + ": " + s);
    log.flush();
    return 0;
  }
}
