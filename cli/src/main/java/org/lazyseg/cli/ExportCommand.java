package org.lazyseg.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.lazyseg.api.SegmentationModel;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.train.export.ModelExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lazyseg export}: a trained model as TorchScript in a bioimage.io-style folder. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    header = "Write a trained model as TorchScript, in a folder laid out as a bioimage.io model.",
    description = "Writes OUT/model.pt (TorchScript, fp32: the normalised image in, every head's softmax probabilities out), OUT/rdf.yaml (inputs, outputs, the input normalisation as a preprocessing step, the test tensors), OUT/test_input.npy (a centred square crop of the sample image, at most 256 pixels a side) and OUT/test_output.npy (LazySeg's probabilities for it), OUT/cover.png and OUT/README.md (how to run it in Python). The exported module is loaded back and run on the test input before OUT is written: its probabilities must match LazySeg's. Exported: the network's probabilities; not exported: the method's read-out (instances, splitting touching objects, least object area). Not checked by bioimage.io's own validator or in DeepImageJ (untested).")
final class ExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "RUN", description = "Run folder written by lazyseg train.")
  Path model;

  @Option(names = "--checkpoint", defaultValue = "best", paramLabel = "NAME",
      description = "Checkpoint to export: best or last (default: ${DEFAULT-VALUE}).")
  String checkpoint;

  @Option(names = "--sample", required = true, paramLabel = "IMAGE",
      description = "An image like those the model segments; the test input is cut from its centre.")
  Path sample;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to create; it must not exist.")
  Path out;

  @Option(names = "--name", paramLabel = "TEXT", description = "Model name in rdf.yaml (default: the run folder's name).")
  String name;

  @Option(names = "--author", paramLabel = "TEXT", description = "Author in rdf.yaml (default: the user name).")
  String author;

  @Option(names = "--license", paramLabel = "SPDX", description = "License in rdf.yaml, an SPDX identifier such as CC-BY-4.0 (default: none written).")
  String license;

  @Override
  public Integer call() throws IOException {
    if (Files.exists(out)) {
      throw new LazySeg.InputException(out + ": exists; export into a new folder");
    }
    FloatImage image;
    try {
      image = ImageFiles.readImage(sample);
    } catch (ImageFiles.ImageFileException e) {
      throw new LazySeg.InputException(e.getMessage());
    }
    String modelName = name != null ? name : model.toAbsolutePath().normalize().getFileName()
        .toString();
    String who = author != null ? author : System.getProperty("user.name", "unknown");
    ModelExport.Exported done;
    try (SegmentationModel m = SegmentationModel.open(model,
        SegmentationModel.Options.DEFAULT.withCheckpoint(checkpoint))) {
      done = m.export(image, out, modelName, who, license);
    } catch (ModelExport.SampleException e) {
      throw new LazySeg.InputException(sample + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new LazySeg.InputException(model + ": " + e.getMessage());
    }
    spec.commandLine().getOut().printf(
        "exported %s to %s: TorchScript model.pt, rdf.yaml, test tensors %d x %d; outputs %s;"
            + " the exported module reproduces LazySeg's probabilities to %.1e%n",
        model, out, done.side(), done.side(), String.join(", ", done.outputChannels()),
        done.largestDifference());
    return 0;
  }
}
