package org.lazyseg.core.synth;

import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;

/**
 * One generated image with its exact ground truth.
 *
 * @param image grey, 1 channel, values in [0, 1]
 * @param classes 0 background, {@link FoamGenerator#BUBBLE}, {@link FoamGenerator#CRYSTAL}
 * @param instances 0 background, 1..n one id per object
 */
public record FoamImage(FloatImage image, LabelImage classes, LabelImage instances) {}
