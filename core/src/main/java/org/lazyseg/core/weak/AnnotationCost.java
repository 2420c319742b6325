package org.lazyseg.core.weak;

import java.util.Set;
import org.lazyseg.core.data.LabeledImage.Kind;

/**
 * What labels cost to make, in strong-mask equivalents per image (docs/methods.md, Annotation
 * cost), so that runs on different mixes of labels are compared at equal annotation effort.
 * Outlining every object of an image (a strong mask) costs 1, about 240 s of an annotator's
 * time; the cheaper labels are priced against it:
 *
 * <ul>
 *   <li>pixel labels without a strong mask (a partial mask with its scribbles, or scribbles
 *       alone): {@value #PIXEL_LABELS_TEXT}, about 40 s (paper 001);
 *   <li>tags (present / absent for every class of the image): {@value #TAGS_TEXT}, about 20 s
 *       (Bearman et al. 2016, "What's the point": 20 s per image-level label against 240 s per
 *       full mask);
 *   <li>a size (one length across the object, paper 002): {@value #SIZE_TEXT}, about 20 s:
 *       finding the object's widest part and drawing one line across it takes about as long
 *       as answering the tags [R].
 * </ul>
 *
 * An image's cost is the sum of the prices of the labels it has, except that a strong mask
 * costs 1 whatever else the image has (every other label follows from it). Pseudo masks are
 * computed, not annotated: free.
 */
public final class AnnotationCost {
  public static final double STRONG = 1;
  public static final double PIXEL_LABELS = 1.0 / 6;
  public static final double TAGS = 1.0 / 12;
  public static final double SIZE = 1.0 / 12;
  static final String PIXEL_LABELS_TEXT = "1/6";
  static final String TAGS_TEXT = "1/12";
  static final String SIZE_TEXT = "1/12";

  private AnnotationCost() {}

  /** The price of one image with these labels, in strong masks. */
  public static double of(Set<Kind> kinds) {
    if (kinds.contains(Kind.MASK)) {
      return STRONG;
    }
    double cost = 0;
    if (kinds.contains(Kind.PARTIAL) || kinds.contains(Kind.SCRIBBLES)) {
      cost += PIXEL_LABELS;
    }
    if (kinds.contains(Kind.TAGS)) {
      cost += TAGS;
    }
    if (kinds.contains(Kind.SIZE)) {
      cost += SIZE;
    }
    return cost;
  }
}
