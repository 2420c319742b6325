package org.lazyseg.fiji;

import java.util.Set;
import org.lazyseg.core.data.LabeledImage.Kind;

/**
 * The training method for the labels a dataset has ("auto" in LazySeg Train): strong outlines
 * alone train the supervised U-Net; with partial regions or scribbles beside them, the
 * multi-task method; partial regions alone, weak-only; a few strong outlines and object sizes
 * of one class, the size method; tags alone, the tags method.
 */
final class MethodChoice {
  private MethodChoice() {}

  /** The method for these label kinds and foreground classes, and why, as "name: reason". */
  static String forLabels(Set<Kind> kinds, int classes) {
    boolean strong = kinds.contains(Kind.MASK);
    boolean partial = kinds.contains(Kind.PARTIAL) || kinds.contains(Kind.SCRIBBLES);
    if (strong && kinds.contains(Kind.SIZE) && !partial && classes == 1) {
      return "sizes: strong outlines and object sizes of one class";
    }
    if (strong && partial) {
      return "multitask: strong outlines with partial regions or scribbles";
    }
    if (strong) {
      return "supervised: strong outlines only";
    }
    if (kinds.contains(Kind.PARTIAL)) {
      return "weak-only: partial regions without strong outlines";
    }
    if (kinds.contains(Kind.TAGS)) {
      return "tags: image tags only";
    }
    throw new Images.Problem("the dataset has no labels to train on: outline some objects"
        + " (strong), mark parts of objects (partial) or tag images first");
  }
}
