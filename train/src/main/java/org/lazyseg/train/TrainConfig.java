package org.lazyseg.train;

import org.lazyseg.train.data.Augmentation;
import org.lazyseg.train.data.Normalization;
import org.lazyseg.train.nn.Precision;

/**
 * How to train. Total epochs = {@code rounds x epochsPerRound}; a round hook may re-label
 * the training targets between rounds (recursive approximation). Start from a
 * {@link #profile} or {@link #builder()} and override what you need.
 *
 * @param crop training crop size S (crops are S x S)
 * @param batch crops per step
 * @param learningRate Adam learning rate (times {@link #learningRateFactor})
 * @param rounds number of rounds
 * @param epochsPerRound epochs in each round
 * @param stepsPerEpoch optimiser steps per epoch
 * @param budgetMinutes wall-clock budget for one {@code run} call, 0 = none; when it runs
 *     out, the current epoch is cut short, validated and checkpointed, then training stops
 * @param seed seeds network initialisation and batch sampling
 * @param threads PyTorch intra-op threads
 * @param workers batch-preparing threads
 * @param augmentation random transforms of the crops; null (the builder's default) = the
 *     method's choice ({@link #withDefaultAugmentation}), else flips and 90-degree turns
 * @param validationTile tile size for validation, 0 = the crop size
 * @param strongShare share of each batch drawn from the examples that have a head-0
 *     (segmentation) target, the rest uniformly from all; 0 = all uniformly; NaN ("auto") =
 *     one crop of each batch where uniform draws would leave most batches without a strong
 *     crop, else uniform ({@link org.lazyseg.train.data.BatchProducer#strongSlots})
 * @param precision what the network computes in (fp32 parameters either way)
 * @param normalize how the images are normalised when the model spec does not fix it:
 *     {@value Normalization#DATASET} (one mean and standard deviation per channel from the
 *     training images) or {@value Normalization#PERCENTILE} (each image by its own 1st and
 *     99.8th percentile, predict likewise; {@link Normalization} says more); null = not
 *     chosen: {@link Normalization#DEFAULT_KIND} for a new run, a resumed run's own (a kind
 *     named that differs from a resumed run's is refused)
 * @param anneal share of the last epochs over which the learning rate falls along a half
 *     cosine towards zero ({@link #learningRateFactor}); 0 = a constant rate; NaN (the
 *     builder's default) = the method's choice ({@link #withDefaultAnneal}), else constant
 * @param scale the working scale: every image and label is shrunk by this factor, in (0, 1],
 *     before the network sees it, in training and when segmenting (the model records it);
 *     NaN = {@link #AUTO_SCALE}, chosen from the annotated objects' sizes when the data is
 *     loaded ({@code TrainingJob}; the builder's default; a resumed run keeps its own); 1 =
 *     full resolution
 */
public record TrainConfig(
    int crop, int batch, double learningRate, int rounds, int epochsPerRound,
    int stepsPerEpoch, double budgetMinutes, long seed, int threads, int workers,
    Augmentation augmentation, int validationTile, double strongShare, Precision precision,
    String normalize, double anneal, double scale) {

  public TrainConfig {
    if (normalize != null) {
      Normalization.checkKind(normalize);
    }
    if (crop <= 0 || batch <= 0 || !(learningRate > 0) || rounds <= 0 || epochsPerRound <= 0
        || stepsPerEpoch <= 0 || budgetMinutes < 0 || threads <= 0 || workers <= 0
        || validationTile < 0
        || !(Double.isNaN(strongShare) || (strongShare >= 0 && strongShare <= 1))
        || precision == null || !(Double.isNaN(anneal) || (anneal >= 0 && anneal <= 1))
        || !(Double.isNaN(scale) || (scale > 0 && scale <= 1))) {
      throw new IllegalArgumentException("bad training configuration: " + toStringOf(
          crop, batch, learningRate, rounds, epochsPerRound, stepsPerEpoch, threads, workers,
          strongShare, anneal, scale));
    }
  }

  private static String toStringOf(Object... values) {
    return java.util.Arrays.toString(values);
  }

  /**
   * The crops' random transforms: the one chosen ({@link #augmentation}), else flips and
   * 90-degree turns ({@link Augmentation#flipsAndRotations}).
   */
  public Augmentation effectiveAugmentation() {
    return augmentation != null ? augmentation : Augmentation.flipsAndRotations();
  }

  /** This config with augmentation {@code a} unless one was chosen (not null). */
  public TrainConfig withDefaultAugmentation(Augmentation a) {
    return augmentation == null ? toBuilder().setAugmentation(a).build() : this;
  }

  /** This config with annealing share {@code share} unless one was chosen (not NaN). */
  public TrainConfig withDefaultAnneal(double share) {
    return Double.isNaN(anneal) ? toBuilder().optAnneal(share).build() : this;
  }

  /** The share of epochs annealed: {@link #anneal}, 0 when none was chosen (NaN). */
  public double annealedShare() {
    return Double.isNaN(anneal) ? 0 : anneal;
  }

  public int epochs() {
    return rounds * epochsPerRound;
  }

  /**
   * What the learning rate of epoch {@code epoch} (from 1) is multiplied by: 1 before the
   * last {@code ceil(anneal x epochs)} epochs, then a half cosine from 1 towards 0 taken at
   * each epoch's middle (so the last epoch still learns a little). Why: at a constant rate the
   * last epochs' weights swing, and a run without validation images keeps one of them (the
   * lowest training loss of its last round; BENCHMARKS.md, issue 30).
   */
  public double learningRateFactor(int epoch) {
    int window = (int) Math.ceil(annealedShare() * epochs() - 1e-9);
    int k = epoch - (epochs() - window) - 1;   // 0 .. window - 1 inside the window
    if (window == 0 || k < 0) {
      return 1;
    }
    return 0.5 * (1 + Math.cos(Math.PI * (k + 0.5) / window));
  }

  /**
   * Presets. quick: crop 128, batch 8, Adam 1e-3, 5 x 100 steps, capped at 4 minutes (on 2
   * busy cores a step took 0.5-0.7 s, so the cap may end it after ~350 steps); standard:
   * crop 192, batch 8, Adam 1e-3 as torch_train_reference.py, 20 x 100 steps (tens of
   * minutes, about 1 s a step here); paper: the lazy-labels paper (crop 256, batch 16,
   * Adam 2e-4, full augmentation, 100 x 100 steps). Network widths (16, 16, 32):
   * {@link ModelSpec.Builder#optProfile}.
   */
  public static Builder profile(String name) {
    Builder b = builder();
    switch (name) {
      case "quick" -> b.setCrop(128).setBatch(8).setLearningRate(1e-3).setEpochs(5)
          .setStepsPerEpoch(100).optBudgetMinutes(4);
      case "standard" -> b.setCrop(192).setBatch(8).setLearningRate(1e-3).setEpochs(20)
          .setStepsPerEpoch(100);
      case "paper" -> b.setCrop(256).setBatch(16).setLearningRate(2e-4).setEpochs(100)
          .setStepsPerEpoch(100).setAugmentation(Augmentation.full());
      default -> throw new IllegalArgumentException(
          "unknown profile '" + name + "' (quick, standard, paper)");
    }
    return b;
  }

  /** {@link #scale} chosen from the data: a crop then holds a median object twice over. */
  public static final double AUTO_SCALE = Double.NaN;

  /**
   * A working scale as a user writes it: "auto" (any case) or a factor in (0, 1].
   *
   * @throws IllegalArgumentException for anything else; front ends name their own field
   */
  public static double parseScale(String text) {
    String t = text.trim();
    if (t.equalsIgnoreCase("auto")) {
      return AUTO_SCALE;
    }
    try {
      double f = Double.parseDouble(t);
      if (f > 0 && f <= 1) {
        return f;
      }
    } catch (NumberFormatException e) {
      // refused below, with the text
    }
    throw new IllegalArgumentException("not a number in (0, 1] nor auto: '" + t + "'");
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.crop = crop; b.batch = batch; b.learningRate = learningRate; b.rounds = rounds;
    b.epochsPerRound = epochsPerRound; b.stepsPerEpoch = stepsPerEpoch;
    b.budgetMinutes = budgetMinutes; b.seed = seed; b.threads = threads; b.workers = workers;
    b.augmentation = augmentation; b.validationTile = validationTile;
    b.strongShare = strongShare; b.precision = precision; b.normalize = normalize;
    b.anneal = anneal;
    b.scale = scale;
    return b;
  }

  /** Defaults are the quick profile's training values, 1 round, 2 threads, 1 worker. */
  public static final class Builder {
    private int crop = 128;
    private int batch = 8;
    private double learningRate = 1e-3;
    private int rounds = 1;
    private int epochsPerRound = 5;
    private int stepsPerEpoch = 100;
    private double budgetMinutes;
    private long seed;
    private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private int workers = 1;
    private Augmentation augmentation;   // null: the method's choice, else flips and turns
    private int validationTile;
    private double strongShare;
    private Precision precision = Precision.FP32;
    private String normalize;
    private double anneal = Double.NaN;
    private double scale = AUTO_SCALE;

    public Builder setCrop(int crop) { this.crop = crop; return this; }

    public Builder setBatch(int batch) { this.batch = batch; return this; }

    public Builder setLearningRate(double lr) { this.learningRate = lr; return this; }

    /** One round of {@code epochs} epochs. */
    public Builder setEpochs(int epochs) {
      this.rounds = 1;
      this.epochsPerRound = epochs;
      return this;
    }

    public Builder setRounds(int rounds, int epochsPerRound) {
      this.rounds = rounds;
      this.epochsPerRound = epochsPerRound;
      return this;
    }

    public Builder setStepsPerEpoch(int steps) { this.stepsPerEpoch = steps; return this; }

    public Builder optBudgetMinutes(double minutes) { this.budgetMinutes = minutes; return this; }

    public Builder optSeed(long seed) { this.seed = seed; return this; }

    public Builder optThreads(int threads) { this.threads = threads; return this; }

    public Builder optWorkers(int workers) { this.workers = workers; return this; }

    public Builder setAugmentation(Augmentation a) { this.augmentation = a; return this; }

    public Builder optValidationTile(int tile) { this.validationTile = tile; return this; }

    public Builder optStrongShare(double share) { this.strongShare = share; return this; }

    /** fp32 by default; front ends resolve {@code auto} ({@link Precision#parse}). */
    public Builder optPrecision(Precision precision) { this.precision = precision; return this; }

    /**
     * {@value Normalization#DATASET} or {@value Normalization#PERCENTILE}; null (default) =
     * {@link Normalization#DEFAULT_KIND} for a new run, a resumed run's own.
     */
    public Builder optNormalize(String kind) {
      this.normalize = kind == null ? null : Normalization.checkKind(kind);
      return this;
    }

    /**
     * Share of the last epochs whose learning rate is annealed ({@link #learningRateFactor});
     * default NaN: the method's choice, constant unless it makes one.
     */
    public Builder optAnneal(double share) { this.anneal = share; return this; }

    /** The working scale in (0, 1] (1: full resolution), or {@link #AUTO_SCALE}, the default. */
    public Builder optScale(double factor) { this.scale = factor; return this; }

    public TrainConfig build() {
      return new TrainConfig(crop, batch, learningRate, rounds, epochsPerRound, stepsPerEpoch,
          budgetMinutes, seed, threads, workers, augmentation, validationTile, strongShare,
          precision, normalize, anneal, scale);
    }
  }
}
