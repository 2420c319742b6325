package org.lazyseg.experiments;

/**
 * Means over the test images of one split, as RUN/test-SPLIT.json records them.
 *
 * @param countError mean over images of |predicted objects - true objects|
 * @param separationPrecision pooled over images ({@link
 *     org.lazyseg.core.measure.SeparationMeasures}); NaN when nothing to count
 * @param secondsPerImage prediction wall time per image
 */
public record TestScores(String split, int images, double dice, double iou, double objectDice,
    double objectHausdorff, double countError, double separationPrecision,
    double separationRecall, double secondsPerImage) {}
