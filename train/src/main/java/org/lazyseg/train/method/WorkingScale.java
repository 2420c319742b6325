package org.lazyseg.train.method;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.lazyseg.core.data.LabeledImage;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.Components;
import org.lazyseg.core.ops.Resize;
import org.lazyseg.train.TrainConfig;
import org.lazyseg.train.predict.Predictor;
import org.lazyseg.train.predict.Segmentation;

/**
 * The working scale of a model ({@link TrainConfig#scale}; docs/methods.md, Working scale):
 * the factor every image is shrunk by before the network sees it, chosen from the annotated
 * objects' sizes, and segmenting at it: the image shrunk, the method's own decoding at the
 * working scale, the labels enlarged back by a bilinear majority
 * ({@link Resize#enlargeLabels}), the probabilities bilinearly. Why: a training crop that
 * cannot hold an object never shows the network the object's outline, only its texture.
 */
public final class WorkingScale {
  private WorkingScale() {}

  /**
   * The automatic working scale: {@code min(1, crop / (2 d))}, d the median equivalent
   * diameter of the annotated objects (strong masks' objects, else the partial masks' cores,
   * which are smaller, so the scale stays nearer 1), rounded to two decimals; 1 when no
   * image has either, and above {@value #NEAR_ONE} (shrinking by less than that changes
   * little of what a crop holds, and every resampling blurs). A crop then holds a median
   * object with as much around it.
   */
  public static double auto(Iterable<LabeledImage> images, int classes, int crop) {
    double d = medianDiameter(annotatedObjects(images, classes));
    if (!(d > 0)) {
      return 1;
    }
    double f = Math.max(0.01, Math.round(100.0 * crop / (2 * d)) / 100.0);
    return f > NEAR_ONE ? 1 : f;
  }

  /** Automatic scales above this are 1. */
  static final double NEAR_ONE = 0.9;

  /**
   * The object images that say how large the objects are: the instance ids of the images
   * with strong masks, else (none has one) the cores of the partial masks.
   */
  static List<LabelImage> annotatedObjects(Iterable<LabeledImage> images, int classes) {
    List<LabelImage> objects = new ArrayList<>();
    for (LabeledImage image : images) {
      if (image.has(LabeledImage.Kind.MASK)) {
        image.instances().ifPresent(objects::add);
      }
    }
    if (objects.isEmpty()) {
      for (LabeledImage image : images) {
        image.partial().map(p -> LazyMultiTask.cores(p, classes)).ifPresent(objects::add);
      }
    }
    return objects;
  }

  /** The median of sqrt(4 area / pi) over the objects of the images; 0 when there are none. */
  static double medianDiameter(List<LabelImage> instanceImages) {
    List<Double> d = new ArrayList<>();
    for (LabelImage ids : instanceImages) {
      int[] a = Components.areas(ids);
      for (int k = 1; k < a.length; k++) {
        if (a[k] > 0) {
          d.add(Math.sqrt(4 * a[k] / Math.PI));
        }
      }
    }
    if (d.isEmpty()) {
      return 0;
    }
    Collections.sort(d);
    int n = d.size();
    return n % 2 == 1 ? d.get(n / 2) : (d.get(n / 2 - 1) + d.get(n / 2)) / 2;
  }

  /**
   * {@link Method#segment} at the working scale {@code scale}, returned at the image's size:
   * classes and instances enlarged by a bilinear majority, probabilities bilinearly. A
   * scale of 1 is the method's own segment.
   */
  public static Segmentation segment(Method method, Predictor predictor, FloatImage image,
      double scale) {
    if (scale == 1) {
      return method.segment(predictor, image);
    }
    FloatImage small = Resize.scaled(image, scale);
    Segmentation s = method.segment(predictor, small);
    int w = image.width(), h = image.height();
    float[][] p = null;
    if (s.probabilities() != null) {
      p = new float[s.probabilities().length][];
      for (int c = 0; c < p.length; c++) {
        p[c] = Resize.plane(s.probabilities()[c], small.width(), small.height(), w, h);
      }
    }
    LabelImage[] up = Resize.enlargeLabels(s.classes(), s.instances(), w, h);
    return new Segmentation(up[0], up[1], p);
  }

  /**
   * {@link Method#segmentInBands} at the working scale: the shrunk image's segmentation (its
   * memory a scale squared of the image's), enlarged as in {@link #segment}; {@code
   * foreground} (null, or the image's size) receives the enlarged foreground probability.
   */
  public static Segmentation segmentInBands(Method method, Predictor predictor,
      FloatImage image, double scale, float[] foreground) {
    if (scale == 1) {
      return method.segmentInBands(predictor, image, foreground);
    }
    FloatImage small = Resize.scaled(image, scale);
    float[] smallForeground = foreground == null ? null
        : new float[small.width() * small.height()];
    Segmentation s = method.segmentInBands(predictor, small, smallForeground);
    int w = image.width(), h = image.height();
    if (foreground != null) {
      float[] up = Resize.plane(smallForeground, small.width(), small.height(), w, h);
      System.arraycopy(up, 0, foreground, 0, up.length);
    }
    LabelImage[] up = Resize.enlargeLabels(s.classes(), s.instances(), w, h);
    return new Segmentation(up[0], up[1], null);
  }

  /** A least object area (pixels) found at the working scale, in the input's pixels. */
  public static int fullResolutionArea(int area, double scale) {
    return (int) Math.round(area / (scale * scale));
  }
}
