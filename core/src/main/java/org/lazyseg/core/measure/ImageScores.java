package org.lazyseg.core.measure;

import java.util.Optional;
import org.lazyseg.core.data.Instances;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.Components;

/**
 * The measures of one prediction against its truth (or their mean over images).
 *
 * @param id the image id (file stem), or {@code mean}
 * @param countError |predicted objects - true objects| (the mean: over images)
 * @param separation the counts behind separation precision and recall (the mean: pooled
 *     over images, as {@link SeparationMeasures} defines them)
 * @param classDice Dice of classes 1..K (index 0 = class 1), present only when K > 1
 */
public record ImageScores(String id, double dice, double iou, double objectDice,
    double objectHausdorff, double countError, SeparationMeasures separation,
    Optional<double[]> classDice) {

  /**
   * Scores one image. With {@code classes <= 1} both images are instance images (or masks,
   * split into 4-connected components). With {@code classes > 1} both are class-id images:
   * Dice and IoU take every class as foreground, per-class Dice compares ids 1..classes, and
   * objects are the 4-connected regions of one class ({@link Instances#ofClasses}).
   */
  public static ImageScores of(String id, LabelImage truth, LabelImage prediction, int classes) {
    PixelMeasures.requireSameSize(truth, prediction);
    LabelImage truthObjects, predictedObjects;
    Optional<double[]> classDice = Optional.empty();
    if (classes > 1) {
      truthObjects = Instances.ofClasses(truth, classes);
      predictedObjects = Instances.ofClasses(prediction, classes);
      classDice = Optional.of(PixelMeasures.classDice(truth, prediction, classes));
    } else {
      truthObjects = Components.instances(truth);
      predictedObjects = Components.instances(prediction);
    }
    return new ImageScores(id, PixelMeasures.dice(truth, prediction),
        PixelMeasures.iou(truth, prediction),
        ObjectMeasures.objectDice(truthObjects, predictedObjects),
        ObjectMeasures.objectHausdorff(truthObjects, predictedObjects),
        Math.abs(Components.countIds(predictedObjects) - Components.countIds(truthObjects)),
        SeparationMeasures.of(truthObjects, predictedObjects), classDice);
  }
}
