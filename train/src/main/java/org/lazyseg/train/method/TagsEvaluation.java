package org.lazyseg.train.method;

import java.nio.file.Path;
import java.util.List;
import org.lazyseg.core.data.Sample;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.measure.PixelMeasures;
import org.lazyseg.core.weak.LazyLabels;
import org.lazyseg.core.weak.Overlays;
import org.lazyseg.train.predict.Predictor;
import org.lazyseg.train.predict.Segmentation;

/**
 * The measures of paper 003's Table I for a network trained from tags: foreground Dice of
 * the raw maps (above 1/2) and of the maps voted into superpixels, both over the images that
 * contain objects, and classification accuracy of the pooled class scores (above 1/2 =
 * present) over all images and classes.
 *
 * <pre>{@code
 * ImageTags method = (ImageTags) Methods.ofRun(run);
 * try (Predictor p = Predictor.open(run, method.checkpointOfStage(run, 0))) {
 *   TagsEvaluation.Scores s = TagsEvaluation.evaluate(p, method, data.samples("test"), null);
 * }
 * }</pre>
 */
public final class TagsEvaluation {
  private TagsEvaluation() {}

  /**
   * @param images images scored
   * @param withObjects images containing objects (the Dice means run over these)
   * @param rawDice mean Dice of the maps above 1/2
   * @param votedDice mean Dice after superpixel voting
   * @param accuracy share of (image, class) pairs whose pooled score is on the tag's side of
   *     1/2 (NaN without tags)
   */
  public record Scores(int images, int withObjects, double rawDice, double votedDice,
      double accuracy) {}

  /**
   * Scores the samples (each needs a mask, or tags for accuracy alone). With
   * {@code pictures} non-null, writes ID.png there for every image with a mask:
   * image | map | raw | voted | truth.
   */
  public static Scores evaluate(Predictor predictor, ImageTags method, List<Sample> samples,
      Path pictures) {
    return evaluate(predictor, method, method, samples, pictures, Integer.MAX_VALUE);
  }

  /**
   * The same for a network of any method (e.g. the fully supervised reference): its own
   * segmentation, voted with {@code voting}'s superpixels; accuracy only for a tags network.
   * Pictures for at most {@code maxPictures} images with objects.
   */
  public static Scores evaluate(Predictor predictor, Method method, ImageTags voting,
      List<Sample> samples, Path pictures, int maxPictures) {
    int drawn = 0;
    ImageTags tags = method instanceof ImageTags t ? t : null;
    int classes = tags != null ? predictor.spec().tasks().size()
        : predictor.spec().tasks().get(0).classes() - 1;
    int images = 0, withObjects = 0, correct = 0, decided = 0;
    double rawSum = 0, votedSum = 0;
    for (Sample s : samples) {
      FloatImage image = s.loadImage();
      LabelImage truth = s.mask().isPresent() ? s.loadClasses() : null;
      boolean[] tagged = truth != null ? tagsOf(truth, classes) : s.tags().orElse(null);
      if (truth == null && tagged == null) {
        continue;
      }
      images++;
      Segmentation seg = method.segment(predictor, image);
      float[] map = seg.probabilities() == null ? null : seg.probabilities()[1];
      if (tagged != null && tags != null) {
        for (int k = 0; k < classes; k++) {
          // A tags network's segmentation carries its maps as probabilities 1..K.
          boolean present = tags.pooling().pool(seg.probabilities()[k + 1]) > ImageTags.THRESHOLD;
          correct += present == tagged[k] ? 1 : 0;
          decided++;
        }
      }
      LabelImage raw = seg.classes();
      LabelImage voted = null;
      if (truth != null && truth.max() > 0) {
        voted = voting.vote(voting.superpixels(image), raw);
        withObjects++;
        rawSum += PixelMeasures.dice(truth, raw);
        votedSum += PixelMeasures.dice(truth, voted);
      }
      if (pictures != null && truth != null
          && (maxPictures == Integer.MAX_VALUE || truth.max() > 0) && drawn++ < maxPictures) {
        if (voted == null) {
          voted = voting.vote(voting.superpixels(image), raw);
        }
        int w = image.width(), h = image.height();
        Overlays.sideBySide(w, h, Overlays.grey(image),
            map == null ? Overlays.grey(image) : greyMap(map),
            Overlays.overlay(image, raw), Overlays.overlay(image, voted),
            Overlays.overlay(image, truth)).write(pictures.resolve(s.id() + ".png"));
      }
    }
    return new Scores(images, withObjects,
        withObjects == 0 ? Double.NaN : rawSum / withObjects,
        withObjects == 0 ? Double.NaN : votedSum / withObjects,
        decided == 0 ? Double.NaN : (double) correct / decided);
  }

  private static boolean[] tagsOf(LabelImage truth, int classes) {
    boolean[] present = LazyLabels.tags(truth, classes);
    boolean[] out = new boolean[classes];
    System.arraycopy(present, 1, out, 0, classes);
    return out;
  }

  private static int[] greyMap(float[] map) {
    int[] out = new int[map.length];
    for (int i = 0; i < map.length; i++) {
      int v = Math.round(255 * Math.max(0, Math.min(1, map[i])));
      out[i] = (v << 16) | (v << 8) | v;
    }
    return out;
  }
}
