package org.lazyseg.train.method;

import java.util.List;
import org.lazyseg.core.data.LabeledImage;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.weak.PseudoLabels;
import org.lazyseg.train.Task;

/**
 * The pseudo-label baseline of papers 000 and 001 ("PL"; docs/methods.md, Pseudo labels): every
 * weakly labelled image's partial mask is grown into full objects by GrabCut
 * ({@link PseudoLabels}), strong images keep their masks, and a single-task U-net trains on
 * the result. A dataset's pseudo/ masks ({@code lazyseg simulate --pseudo}) are used as they
 * are; without them the pseudo masks are computed when the examples load (GrabCut, about a
 * second per GlaS image), again on a resume.
 *
 * <p>Regions: a partial mask with several ids (instance ids of a single-class dataset) gives
 * one region per id; otherwise (class ids, or a 0/1 mask as the simulator writes for one
 * class) each 8-connected component is a region.
 */
public final class PseudoLabelTraining implements Method {
  public static final String NAME = "pseudo-labels";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "U-Net on strong masks plus GrabCut pseudo masks grown from the partial masks (baseline)";
  }

  @Override
  public List<Task> tasks(int classes) {
    return List.of(Task.of(Supervised.SEGMENTATION, classes + 1));
  }

  @Override
  public LabelImage[] targets(LabeledImage image, int classes) {
    if (image.has(LabeledImage.Kind.MASK)) {
      return new LabelImage[] {image.mask().orElseThrow()};
    }
    LabelImage pseudo = pseudoMask(image, null, classes);
    return pseudo == null ? null : new LabelImage[] {pseudo};
  }

  /**
   * The class image of an image's GrabCut pseudo mask: its pseudo mask when it has one, else
   * computed from its partial mask ({@code partial}, or loaded when null); null without a
   * partial mask.
   */
  static LabelImage pseudoMask(LabeledImage image, LabelImage partial, int classes) {
    if (image.has(LabeledImage.Kind.PSEUDO)) { // computed once by lazyseg simulate --pseudo
      return Method.asClasses(image.pseudo().orElseThrow(), classes);
    }
    if (partial == null && !image.has(LabeledImage.Kind.PARTIAL)) {
      return null;
    }
    partial = partial != null ? partial : image.partial().orElseThrow();
    boolean byComponents = classes > 1 || partial.max() <= 1;
    LabelImage pseudo = PseudoLabels.pseudoMask(image.image(), null, partial, byComponents);
    return Method.asClasses(pseudo, classes);
  }
}
