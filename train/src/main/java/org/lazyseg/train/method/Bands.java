package org.lazyseg.train.method;

import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.Probabilities;
import org.lazyseg.core.weak.SeparationCut;
import org.lazyseg.train.predict.Predictor;
import org.lazyseg.train.predict.Segmentation;

/** Decoding helpers for {@link Method#segmentInBands}: the network's output row band by row band. */
final class Bands {
  private Bands() {}

  /**
   * {@link Method#segment}'s default decoding of head {@code classHead}, streamed: the argmax
   * of each finished row, the foreground probability if asked, and the cut along head
   * {@code separation} (-1: none) at the method's threshold; then the method's
   * {@link Method#instancesOfCut}. Keeps the class image and the cut (which becomes the
   * instance image), besides the predictor's band.
   */
  static Segmentation argmaxAndCut(Method method, Predictor predictor, FloatImage image,
      int classHead, int separation, float[] foreground) {
    int w = image.width(), h = image.height();
    LabelImage classes = new LabelImage(w, h);
    LabelImage cut = separation >= 0 ? new LabelImage(w, h) : null;
    argmaxAndCut(method, predictor, image, classHead, separation, foreground, classes, cut);
    return new Segmentation(classes, method.instancesOfCut(classes, cut), null);
  }

  /**
   * The pixel-by-pixel part of {@link #argmaxAndCut(Method, Predictor, FloatImage, int, int,
   * float[])}: class ids into {@code classes}, the cut into {@code cut} (when {@code
   * separation} >= 0), both of the size of {@code image}.
   */
  static void argmaxAndCut(Method method, Predictor predictor, FloatImage image,
      int classHead, int separation, float[] foreground, LabelImage classes, LabelImage cut) {
    int w = image.width();
    double threshold = method.interfaceThreshold();
    int[] heads = separation >= 0 ? new int[] {classHead, separation} : new int[] {classHead};
    predictor.stream(image, (y0, rows, p) -> {
      int offset = y0 * w, count = rows * w;
      Probabilities.argmax(p[0], count, classes.data(), offset);
      foregroundOf(p[0][0], count, offset, foreground);
      if (separation >= 0) {
        SeparationCut.cut(classes.data(), p[1][1], count, offset, threshold, cut.data());
      }
    }, heads);
  }

  /**
   * {@link Segmentation#foregroundProbability} of {@code count} pixels from a band's
   * background plane into {@code foreground} (from {@code offset} on); nothing when it is null.
   */
  static void foregroundOf(float[] background, int count, int offset, float[] foreground) {
    if (foreground != null) {
      for (int j = 0; j < count; j++) {
        foreground[offset + j] = 1f - background[j];
      }
    }
  }

  /**
   * For a method whose decoding is global: {@link Method#segment} with its probability planes
   * of the whole image, the foreground probability copied out, the planes then let go.
   */
  static Segmentation whole(Method method, Predictor predictor, FloatImage image,
      float[] foreground) {
    Segmentation s = method.segment(predictor, image);
    foregroundOf(s.probabilities()[0], foreground == null ? 0 : foreground.length, 0,
        foreground);
    return new Segmentation(s.classes(), s.instances(), null);
  }
}
