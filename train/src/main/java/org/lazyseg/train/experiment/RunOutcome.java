package org.lazyseg.train.experiment;

/**
 * A finished run, as RUN/done.json records it.
 *
 * @param annotationCost the labels the run learned from, in strong-mask units per training
 *     image (SPEC section 6: a partial mask with its scribbles 1/6, a tag 1/12)
 * @param trainSeconds wall time of training (loading and evaluation excluded)
 */
public record RunOutcome(String key, String method, double strongFraction, int trainImages,
    int strongImages, double annotationCost, int epochs, long steps, double trainSeconds,
    boolean stoppedByBudget) {
}
