package org.lazyseg.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.lazyseg.core.data.Dataset;
import org.lazyseg.core.data.LabelImport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code lazyseg import}: label images of Labkit, ilastik or napari into a dataset folder. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    header = "Import label images made in Labkit, ilastik or napari into a dataset as masks, partial masks or scribbles.",
    description = {
        "Each label file (PNG or TIFF, one plane) is matched to the image of the dataset with the same file name without extension (less --suffix) and written to DATA/masks/, DATA/partial/ or DATA/scribbles/ (ID.png) in the dataset's conventions (README, Dataset folder). Every value of a label file needs a meaning: unlabelled, background, interface (scribbles: pixels where touching objects meet) or a class of the dataset. --map gives them; the tool's defaults cover the rest:",
        "  labkit:  0 (no label) = unlabelled; with Labkit's NAME.tif.labels beside the file (its \"Save Labeling\" to a .tif writes it), the label named background = background, a label named as a class (foreground too in a one-class dataset) = that class, interface = interface; --map may name Labkit labels (--map nucleus=cell)",
        "  ilastik: 0 = unlabelled, 1 = background, 2, 3, ... = the dataset's classes in order (Simple Segmentation: each pixel's label number)",
        "  napari:  0 = background in a mask, else unlabelled; every other value = an object of the dataset's one class, its id kept (with --as scribbles: interface)",
        "Partial masks hold no background: background pixels become rest (0) there. Every file is checked before anything is written; existing labels are refused unless --overwrite (a file that already holds the same labels is left as it is, so a rerun goes on)."})
final class ImportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--tool", required = true, paramLabel = "TOOL",
      description = "labkit, ilastik or napari: the tool that made the label images (sets the defaults above).")
  String tool;

  @Option(names = "--from", required = true, paramLabel = "LABELS",
      description = "A folder of label images (PNG or TIFF), or one label image.")
  Path from;

  @Option(names = "--data", required = true, paramLabel = "DATA",
      description = "The dataset folder to write into (its images/ gives the ids).")
  Path data;

  @Option(names = "--as", required = true, paramLabel = "KIND",
      description = "mask (strong masks, DATA/masks/), partial (partial masks, DATA/partial/; interface pixels go to DATA/scribbles/) or scribbles (DATA/scribbles/).")
  String kind;

  @Option(names = "--map", split = ",", paramLabel = "VALUES=MEANING",
      description = "What values mean, before the tool's defaults: VALUES is a value (2), a range (2-9), * (every value nothing else names) or a Labkit label name; MEANING is unlabelled, background, interface or a class name. E.g. --map 0=unlabelled,1=background,2=gland")
  List<String> map = new ArrayList<>();

  @Option(names = "--suffix", paramLabel = "TEXT", defaultValue = "",
      description = "Text between the image id and the extension of every label file, left out of the id (e.g. _labels for a_labels.tif).")
  String suffix;

  @Option(names = "--overwrite", description = "Replace labels the dataset already has for these images.")
  boolean overwrite;

  @Override
  public Integer call() {
    PrintWriter log = spec.commandLine().getErr();
    LabelImport.Options options;
    try {
      List<LabelImport.Rule> rules = new ArrayList<>();
      for (String entry : map) {
        rules.add(LabelImport.Rule.parse(entry));
      }
      options = new LabelImport.Options(LabelImport.Tool.parse(tool),
          LabelImport.Kind.parse(kind), rules, suffix, overwrite);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    Dataset dataset = Dataset.open(data);
    LabelImport.Summary s = LabelImport.run(from, dataset, options, (done, total, id) -> {});
    for (String note : s.notes()) {
      log.println("lazyseg: " + note);
    }
    log.println("lazyseg: " + s + " -> " + data.resolve(options.kind().folder()));
    log.flush();
    return 0;
  }
}
