package org.lazyseg.experiments;

/**
 * A finished run, as RUN/done.json records it.
 *
 * @param annotationCost the labels the run's method takes, in strong-mask units per training
 *     image (docs/methods.md, Annotation cost: a partial mask with its scribbles 1/6, a tag 1/12)
 * @param trainSeconds wall time of training (loading and evaluation excluded); a resumed run's
 *     earlier epochs count with the time metrics.csv records for them
 */
public record RunOutcome(String key, String method, double strongFraction, int trainImages,
    int strongImages, double annotationCost, int epochs, long steps, double trainSeconds,
    boolean stoppedByBudget) {

  /** Note under tables with an "annotation cost" column. */
  public static final String COST_NOTE = "- annotation cost: the labels a run's method takes, in"
      + " strong-mask equivalents (docs/methods.md, Annotation cost: a strong mask 1, a partial"
      + " mask with its scribbles 1/6, tags 1/12, a size 1/12); labels it takes but cannot use"
      + " at the run's crop (lazy: present tags of images larger than the crop) count too.";

  /**
   * The labels the run's method takes, in strong masks: {@link #annotationCost()} times the
   * images trained on. This, not the per-image mean, compares runs that train on different
   * subsets (U-net on 8 strong masks costs 8, multi-task on the same 8 plus 77 partial
   * masks about 20.8).
   */
  public double annotationTotal() {
    return annotationCost * trainImages;
  }
}
