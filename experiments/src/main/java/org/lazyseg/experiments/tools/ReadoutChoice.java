package org.lazyseg.experiments.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.lazyseg.api.SegmentationModel;
import org.lazyseg.core.data.Dataset;
import org.lazyseg.core.data.Sample;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.measure.Evaluation;
import org.lazyseg.core.measure.ImageScores;
import org.lazyseg.core.ops.Components;
import org.lazyseg.core.weak.SeedThreshold;
import org.lazyseg.train.RunFolder;
import org.lazyseg.train.method.LazyMultiTask;
import org.lazyseg.train.method.SeededGrowth;
import org.lazyseg.train.predict.Predictor;

/**
 * The read-outs of one trained multi-task network (or a single-head one: its segmentation
 * and split only) side by side on validation images (a split
 * carved from the training images, never the test split): the segmentation head cut along the
 * separation head, its surest pixels grown back inside it ("split"), and the detection head's
 * cores grown inside the segmentation ("grow", "grow-keep"), with the seed threshold the run
 * would settle after training (chosen on the weak training images' annotated cores, as
 * `-O seed-threshold=auto` does) and with the head's argmax. Each with the run's least object area, as `lazyseg predict`.
 * usage: bench/tool ReadoutChoice RUN LAZY_DATA SPLIT
 */
public final class ReadoutChoice {
  /**
   * The weakly labelled training images an "auto" seed choice of the run looks at: those
   * outside its strong subset with a partial mask, the first {@link SeedThreshold#MAX_IMAGES}
   * by id.
   */
  static List<Sample> weakImages(Path run, Dataset lazy) throws java.io.IOException {
    Map<?, ?> record = new ObjectMapper().readValue(
        run.resolve("training-data.json").toFile(), Map.class);
    Set<String> strong = new HashSet<>();
    for (Object o : (List<?>) record.get("strongIds")) {
      strong.add((String) o);
    }
    return lazy.samples("train").stream()
        .filter(s -> !strong.contains(s.id()) && s.partial().isPresent())
        .sorted(Comparator.comparing(Sample::id)).limit(SeedThreshold.MAX_IMAGES).toList();
  }

  /**
   * Segments the images of {@code split} with the run opened with {@code options} and returns
   * their mean scores as a JSON line ({@code key}: {@code name}, e.g. the read-out).
   */
  static String scoreLine(Path run, Dataset lazy, String split, String key, String name,
      Object settings, SegmentationModel.Options options) throws java.io.IOException {
    List<ImageScores> scores = new ArrayList<>();
    double predicted = 0, objects = 0;
    try (SegmentationModel model = SegmentationModel.open(run, options)) {
      for (Sample s : lazy.samples(split)) {
        FloatImage image = ImageFiles.readImage(s.image());
        LabelImage truth = ImageFiles.readLabels(s.mask().orElseThrow());
        LabelImage instances = model.segment(image).instances();
        scores.add(ImageScores.of(s.id(), truth, instances, 1));
        predicted += Components.countIds(instances);
        objects += Components.countIds(Components.instances(truth));
      }
    }
    ImageScores m = Evaluation.of(scores).mean();
    return String.format(Locale.ROOT, "{\"date\":\"%s\",\"run\":\"%s\",\"split\":\"%s\","
        + "\"%s\":\"%s\",\"settings\":\"%s\",\"dice\":%.4f,\"object_dice\":%.4f,"
        + "\"object_hausdorff\":%.1f,\"count_error\":%.2f,\"predicted_objects\":%.2f,"
        + "\"true_objects\":%.2f}",
        java.time.LocalDate.now(), run, split, key, name, settings, m.dice(),
        m.objectDice(), m.objectHausdorff(), m.countError(), predicted / scores.size(),
        objects / scores.size());
  }

  public static void main(String[] args) throws Exception {
    Path run = Path.of(args[0]);
    Dataset lazy = Dataset.open(Path.of(args[1]));
    String split = args[2];
    String checkpoint = args.length > 3 ? args[3] : RunFolder.BEST;
    List<Sample> weak = weakImages(run, lazy);
    boolean detection;
    try (Predictor predictor = Predictor.open(run, RunFolder.BEST)) {
      detection = predictor.spec().tasks().stream()
          .anyMatch(t -> t.name().equals(LazyMultiTask.DETECTION));
    }
    Map<String, Map<String, String>> readouts = new LinkedHashMap<>();
    readouts.put("segmentation", Map.of("prediction", "segmentation"));
    if (detection) {   // grow needs a detection head (multitask, lazy); split any network
      readouts.put("grow argmax", Map.of("prediction", "grow"));
      readouts.put("grow-keep argmax", Map.of("prediction", "grow-keep"));
    }
    for (String mode : detection ? List.of("split", "grow", "grow-keep") : List.of("split")) {
      List<FloatImage> images = new ArrayList<>();
      List<LabelImage> cores = new ArrayList<>();
      for (Sample s : weak) {
        images.add(s.loadImage());
        cores.add(SeedThreshold.cores(s.loadPartial(), 1));
      }
      SeedThreshold.Candidate best;
      try (Predictor predictor = Predictor.open(run, RunFolder.BEST)) {
        predictor.setTileSize(1024);
        best = SeedThreshold.best(new SeededGrowth(
            mode.equals("split") ? "segmentation" : LazyMultiTask.DETECTION,
            Double.POSITIVE_INFINITY, mode.equals("grow-keep"), Double.NaN, 0)
            .score(predictor, images, cores));
      }
      System.err.printf(Locale.ROOT, "%s: auto seeds %.2f, min seed %d (core Dice %.4f)%n",
          mode, best.threshold(), best.minSeed(), best.coreDice());
      readouts.put(mode + " auto", Map.of("prediction", mode,
          "seed-threshold", Double.toString(best.threshold()),
          "min-seed", Integer.toString(best.minSeed())));
    }
    for (Map.Entry<String, Map<String, String>> r : readouts.entrySet()) {
      Map<String, String> settings = new java.util.TreeMap<>(r.getValue());
      settings.put("checkpoint", checkpoint);
      System.out.println(scoreLine(run, lazy, split, "readout", r.getKey(), settings,
          SegmentationModel.Options.DEFAULT.withThreads(1).withCheckpoint(checkpoint)
              .withMethodSettings(r.getValue())));
    }
  }
}
