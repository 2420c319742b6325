package org.lazyseg.core.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.lazyseg.core.data.DatasetException;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.ImageFiles.ImageFileException;
import org.lazyseg.core.image.LabelImage;

/**
 * Scores a folder of predictions against a folder of truths, matched by file stem
 * ({@code a.png} predicts {@code a.png} or {@code a.tif}); predictions without a truth are
 * ignored, a truth without a prediction is an error. Scores per image and their mean:
 *
 * <pre>
 * Evaluation e = Evaluation.compare(Path.of("out/pred"), Path.of("data/glas/masks"), 1);
 * System.out.println(e.mean().objectDice());
 * Files.writeString(Path.of("out/scores.json"), e.toJson());
 * </pre>
 */
public final class Evaluation {
  private static final List<String> EXTENSIONS = List.of("png", "tif", "tiff");

  private final List<ImageScores> images;
  private final ImageScores mean;

  private Evaluation(List<ImageScores> images) {
    this.images = List.copyOf(images);
    this.mean = meanOf(images);
  }

  /**
   * Compares every truth image with the prediction of the same stem.
   *
   * @param classes number of foreground classes; above 1 the images are class-id images and
   *     per-class Dice is computed (see {@link ImageScores#of})
   */
  public static Evaluation compare(Path predictions, Path truths, int classes) {
    Map<String, Path> truthFiles = list(truths);
    if (truthFiles.isEmpty()) {
      throw new EvaluationException(truths + ": no truth images (.png, .tif, .tiff)");
    }
    Map<String, Path> predictionFiles = list(predictions);
    List<ImageScores> scores = new ArrayList<>();
    // Every bad pair is named before giving up, so one run shows all there is to fix.
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, Path> e : truthFiles.entrySet()) {
      try {
        scores.add(score(e.getKey(), e.getValue(), predictionFiles.get(e.getKey()), predictions,
            classes));
      } catch (EvaluationException problem) {
        problems.add(problem.getMessage());
      }
    }
    if (problems.size() == 1) {
      throw new EvaluationException(problems.get(0));
    } else if (!problems.isEmpty()) {
      throw new EvaluationException(DatasetException.listing(problems));
    }
    return new Evaluation(scores);
  }

  private static ImageScores score(String id, Path truthFile, Path predictionFile,
      Path predictions, int classes) {
    if (predictionFile == null) {
      throw new EvaluationException(predictions + ": no prediction " + id
          + ".png for truth " + truthFile);
    }
    LabelImage truth = read(truthFile);
    LabelImage prediction = read(predictionFile);
    if (!truth.sameSize(prediction.width(), prediction.height())) {
      throw new EvaluationException("prediction " + predictionFile + " (" + prediction.width() + "x"
          + prediction.height() + ") and truth " + truthFile + " (" + truth.width() + "x"
          + truth.height() + ") differ in size");
    }
    return ImageScores.of(id, truth, prediction, classes);
  }

  /** Wraps scores computed elsewhere (at least one). */
  public static Evaluation of(List<ImageScores> images) {
    if (images.isEmpty()) {
      throw new IllegalArgumentException("no images to evaluate");
    }
    return new Evaluation(images);
  }

  /** Scores per image, sorted by id. */
  public List<ImageScores> images() { return images; }

  /** The mean of each measure over the images (per class for class Dice), with id {@code mean}. */
  public ImageScores mean() { return mean; }

  /**
   * One JSON object: {@code images} (an array of per-image objects with {@code id} and the
   * measures) and the means {@code dice}, {@code iou}, {@code object_dice},
   * {@code object_hausdorff}, {@code count_error}, then {@code separation_precision} and
   * {@code separation_recall} (pooled over images; per image for the image objects), plus
   * {@code class_dice} (an array, class 1 first) when per-class Dice was computed. A value
   * that is not finite is written as {@code null}.
   */
  public String toJson() {
    StringBuilder json = new StringBuilder("{\"images\":[");
    for (int i = 0; i < images.size(); i++) {
      json.append(i == 0 ? "" : ",").append("{\"id\":");
      quote(json, images.get(i).id());
      json.append(',');
      appendMeasures(json, images.get(i));
      json.append('}');
    }
    json.append("],");
    appendMeasures(json, mean);
    return json.append('}').toString();
  }

  /**
   * The means only, as one JSON object: {@code images} (how many were scored), then the same
   * keys as the means of {@link #toJson()}.
   */
  public String toSummaryJson() {
    StringBuilder json = new StringBuilder("{\"images\":").append(images.size()).append(',');
    appendMeasures(json, mean);
    return json.append('}').toString();
  }

  private static void appendMeasures(StringBuilder json, ImageScores s) {
    json.append("\"dice\":").append(number(s.dice()))
        .append(",\"iou\":").append(number(s.iou()))
        .append(",\"object_dice\":").append(number(s.objectDice()))
        .append(",\"object_hausdorff\":").append(number(s.objectHausdorff()))
        .append(",\"count_error\":").append(number(s.countError()))
        .append(",\"separation_precision\":").append(number(s.separation().precision()))
        .append(",\"separation_recall\":").append(number(s.separation().recall()));
    s.classDice().ifPresent(d -> {
      json.append(",\"class_dice\":[");
      for (int k = 0; k < d.length; k++) {
        json.append(k == 0 ? "" : ",").append(number(d[k]));
      }
      json.append(']');
    });
  }

  private static String number(double v) {
    return Double.isFinite(v) ? Double.toString(v) : "null";
  }

  private static void quote(StringBuilder json, String s) {
    json.append('"');
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        default -> {
          if (c < 0x20) {
            json.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }

  private static ImageScores meanOf(List<ImageScores> images) {
    int n = images.size();
    double dice = 0, iou = 0, objectDice = 0, objectHausdorff = 0, countError = 0;
    SeparationMeasures separation = new SeparationMeasures(0, 0, 0, 0);
    double[] classDice = null;
    for (ImageScores s : images) {
      dice += s.dice() / n;
      iou += s.iou() / n;
      objectDice += s.objectDice() / n;
      objectHausdorff += s.objectHausdorff() / n;
      countError += s.countError() / n;
      separation = separation.plus(s.separation());
      if (s.classDice().isPresent()) {
        double[] d = s.classDice().get();
        classDice = classDice == null ? new double[d.length] : classDice;
        for (int k = 0; k < d.length; k++) {
          classDice[k] += d[k] / n;
        }
      }
    }
    return new ImageScores("mean", dice, iou, objectDice, objectHausdorff, countError,
        separation, Optional.ofNullable(classDice));
  }

  private static LabelImage read(Path file) {
    try {
      return ImageFiles.readLabels(file);
    } catch (ImageFileException e) {
      throw new EvaluationException(e.getMessage(), e);
    }
  }

  /** Label images of a folder by stem; two files with one stem are an error. */
  private static Map<String, Path> list(Path folder) {
    if (!Files.isDirectory(folder)) {
      throw new EvaluationException(folder + ": no such folder");
    }
    Map<String, Path> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.sorted().toList()) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        if (dot <= 0 || !EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT))) {
          continue;
        }
        Path before = out.put(name.substring(0, dot), file);
        if (before != null) {
          throw new EvaluationException(before + " and " + file.getFileName()
              + ": two images with the id '" + name.substring(0, dot) + "'");
        }
      }
    } catch (IOException e) {
      throw new EvaluationException(folder + ": cannot list folder (" + e.getMessage() + ")", e);
    }
    return out;
  }
}
