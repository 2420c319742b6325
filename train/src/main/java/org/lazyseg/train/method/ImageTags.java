package org.lazyseg.train.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.lazyseg.core.data.DatasetException;
import org.lazyseg.core.data.LabeledImage;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.weak.SeparationCut;
import org.lazyseg.core.weak.SuperpixelVoting;
import org.lazyseg.train.RunFolder;
import org.lazyseg.train.Task;
import org.lazyseg.train.TrainConfig;
import org.lazyseg.train.data.Augmentation;
import org.lazyseg.train.data.Example;
import org.lazyseg.train.data.Normalization;
import org.lazyseg.train.loss.Objective;
import org.lazyseg.train.engine.RoundHook;
import org.lazyseg.train.engine.RoundOptimizer;
import org.lazyseg.train.loss.TagLosses;
import org.lazyseg.train.nn.GlobalWeightedPooling;
import org.lazyseg.train.predict.Predictor;
import org.lazyseg.train.predict.Segmentation;

/**
 * Segmentation from image-level tags (paper 003; docs/methods.md, Image tags): one foreground map
 * per class, pooled to a class score ({@link GlobalWeightedPooling}) and trained with binary
 * cross-entropy against tags.csv on positive and negative images; then masks from the maps,
 * refined by superpixel voting, and rounds of fine-tuning with Dice loss against the voted
 * masks, re-voted from the new outputs after each round. No voting at inference.
 *
 * <p>Stages and engine rounds: the profile's E epochs become rounds of
 * {@code ceil(E / 5)} epochs; the classification stage spans about 5 of them and each
 * refinement stage one more (the paper: 100 epochs, then 20 per refinement round). So the
 * quick profile (5 epochs) runs 5 + 2 epochs, standard (20) 20 + 4 + 4, paper (100)
 * 100 + 20 + 20. After each stage but the last the network is kept as checkpoint
 * {@code stageS} (S = 0: classification only, S = r: after refinement round r); the final
 * stage is checkpoint {@code last}. RUN/refinement.csv records each vote.
 *
 * <p>Tags describe whole images, so training crops must hold whole images: {@link #adjust}
 * keeps only flips and 90-degree turns (no zoom or free rotation that cut corners off) and
 * training stops with a message when an image is larger than the crop (cut patches first:
 * {@code lazyseg patches --size S}). Smaller images are padded; the padding takes part in
 * the pooled score like any background.
 *
 * <p>Options ({@code -O key=value}): {@code pooling=gwp|gap|gmp} (default gwp), {@code r}
 * (GWP parameter, default 5), {@code refine} (refinement rounds, default 2), {@code vote}
 * (superpixel share, default 0.2), {@code scale} (Felzenszwalb scale, default 100) and
 * {@code crop} (training crop = the patch size; default the profile's) and
 * {@code dice-weight} (weight of the refinement loss, default 1, see
 * {@link #DEFAULT_DICE_WEIGHT}), {@code refine-adam=fresh|carry} (whether each refinement
 * round starts Adam afresh, default fresh) and {@code refine-lr} (the refinement rounds'
 * learning rate as a factor of the profile's, default 0.1).
 *
 * <p>The stage layout follows from the config after {@link #adjust} (its rounds minus the
 * refinement rounds), which every later hook is given: no state passes between hooks.
 */
public final class ImageTags implements Method {
  public static final String NAME = "tags";
  /** Where each vote's statistics go in the run folder. */
  public static final String REFINEMENT_FILE = "refinement.csv";
  /** Classification gets this many engine rounds for each refinement round's one. */
  static final int CLASSIFICATION_SHARE = 5;
  /** A pixel is foreground in a map when its score exceeds this. */
  static final float THRESHOLD = 0.5f;

  /**
   * Weight of the refinement Dice loss. With Adam afresh in each refinement round (the
   * default) it changes nothing: Adam divides every step by the gradients' own scale. It
   * mattered with Adam carried on from classification ({@code refine-adam=carry}), whose
   * second-moment estimate still held the small gradients of the converged BCE and lags for
   * about 1000 steps, so the first Dice steps came out several times the learning rate (at
   * weight 1 the maps lit whole patches; 0.1 damped that).
   */
  static final double DEFAULT_DICE_WEIGHT = 1;
  /**
   * Refinement rounds start Adam afresh [R]: on DSB2018 patches (GWP r=9, standard profile)
   * the maps after refinement rounds 1 and 2 scored a higher Dice afresh at a tenth of the
   * rate than with Adam carried on from classification (BENCHMARKS.md, issue 8).
   */
  static final boolean DEFAULT_FRESH_ADAM = true;
  /**
   * Learning-rate factor of the refinement rounds [R]: fine-tuning, as the paper's RMSprop at
   * 1e-4 after classification; at the full rate (afresh) round 2 lit whole patches, and
   * classification accuracy and Dice fell (see BENCHMARKS.md).
   */
  static final double DEFAULT_REFINE_LR = 0.1;

  private final GlobalWeightedPooling pooling;
  private final int refineRounds;
  private final double voteShare;
  private final double scale;
  /** The crop asked for with {@code -O crop=S}, 0 = the profile's. */
  private final int cropOption;
  private final double diceWeight;
  /** Whether each refinement round starts Adam afresh ({@code -O refine-adam=fresh}). */
  private final boolean freshAdam;
  /** Learning-rate factor of the refinement rounds ({@code -O refine-lr=F}). */
  private final double refineLearningRate;

  public ImageTags(GlobalWeightedPooling pooling, int refineRounds, double voteShare,
      double scale) {
    this(pooling, refineRounds, voteShare, scale, 0, DEFAULT_DICE_WEIGHT, DEFAULT_FRESH_ADAM,
        DEFAULT_REFINE_LR);
  }

  private ImageTags(GlobalWeightedPooling pooling, int refineRounds, double voteShare,
      double scale, int cropOption, double diceWeight, boolean freshAdam,
      double refineLearningRate) {
    if (refineRounds < 0 || !(voteShare >= 0 && voteShare <= 1) || !(scale > 0)) {
      throw new IllegalArgumentException("tags: need refine >= 0, vote in [0, 1], scale > 0: "
          + refineRounds + ", " + voteShare + ", " + scale);
    }
    this.pooling = pooling;
    this.refineRounds = refineRounds;
    this.voteShare = voteShare;
    this.scale = scale;
    this.cropOption = cropOption;
    this.diceWeight = diceWeight;
    this.freshAdam = freshAdam;
    this.refineLearningRate = refineLearningRate;
  }

  /** The paper's defaults with r = 5: GWP, 2 refinement rounds, vote 0.2, scale 100. */
  public ImageTags() {
    this(GlobalWeightedPooling.gwp(5), 2, SuperpixelVoting.DEFAULT_THRESHOLD,
        SuperpixelVoting.DEFAULT_SCALE);
  }

  static final List<Setting> SETTINGS = List.of(
      Setting.choice("pooling", "gwp", List.of("gwp", "gap", "gmp"), "how a map becomes a"
          + " class score: global weighted, average or max pooling"),
      Setting.number("r", 5, 0, Double.POSITIVE_INFINITY, "the GWP parameter: 0 = average,"
          + " large = max (pooling=gwp only)"),
      Setting.integer("refine", 2, 0, Integer.MAX_VALUE, "refinement rounds after"
          + " classification"),
      Setting.number("vote", SuperpixelVoting.DEFAULT_THRESHOLD, 0, 1, "share of a superpixel"
          + " that must be foreground for it to vote foreground"),
      Setting.number("scale", SuperpixelVoting.DEFAULT_SCALE, 0, Double.POSITIVE_INFINITY,
          "Felzenszwalb superpixel scale").aboveMin(),
      Setting.integer("crop", 0, 0, Integer.MAX_VALUE, "training crop = the patch size (0 ="
          + " the profile's)"),
      Setting.number("dice-weight", DEFAULT_DICE_WEIGHT, 0, Double.POSITIVE_INFINITY,
          "weight of the refinement Dice loss").aboveMin(),
      Setting.choice("refine-adam", DEFAULT_FRESH_ADAM ? "fresh" : "carry",
          List.of("fresh", "carry"), "each refinement round starts Adam afresh, or carries it"
          + " on"),
      Setting.number("refine-lr", DEFAULT_REFINE_LR, 0, Double.POSITIVE_INFINITY,
          "learning rate of the refinement rounds, as a factor of the profile's").aboveMin());

  @Override
  public List<Setting> settings() {
    return SETTINGS;
  }

  /** From {@code -O} options (see {@link #settings}). */
  public static ImageTags create(Map<String, String> options) {
    return new ImageTags().configure(options);
  }

  @Override
  public ImageTags configure(Map<String, String> options) {
    OptionValues v = OptionValues.parse(NAME, SETTINGS, options);
    String kind = v.text("pooling");
    if (!kind.equals("gwp") && v.isGiven("r")) {
      throw new IllegalArgumentException("method 'tags': option r applies to pooling=gwp only");
    }
    return new ImageTags(GlobalWeightedPooling.of(kind, v.number("r")), v.integer("refine"),
        v.number("vote"), v.number("scale"), v.integer("crop"), v.number("dice-weight"),
        v.text("refine-adam").equals("fresh"), v.number("refine-lr"));
  }


  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "image tags only: pooled maps (GWP) + BCE, superpixel voting, Dice refinement rounds";
  }

  public GlobalWeightedPooling pooling() {
    return pooling;
  }

  public int refineRounds() {
    return refineRounds;
  }

  @Override
  public Map<String, String> options() {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("pooling", pooling.kind().name().toLowerCase(Locale.ROOT));
    if (pooling.kind() == GlobalWeightedPooling.Kind.GWP) {
      o.put("r", Setting.plain(pooling.r()));
    }
    o.put("refine", Integer.toString(refineRounds));
    o.put("vote", Setting.plain(voteShare));
    o.put("scale", Setting.plain(scale));
    if (cropOption > 0) {
      o.put("crop", Integer.toString(cropOption));
    }
    o.put("dice-weight", Setting.plain(diceWeight));
    o.put("refine-adam", freshAdam ? "fresh" : "carry");
    o.put("refine-lr", Setting.plain(refineLearningRate));
    return o;
  }

  /**
   * One 2-class head per foreground class: a softmax of two logits is the sigmoid of their
   * difference, so each head is the paper's sigmoid map of one class, independent of the
   * others (tags are multi-label: classes co-occur, and each tag is its own present/absent
   * decision). One (K + 1)-class softmax head would make classes compete per pixel and its
   * pooled scores would not be independent probabilities for the BCE. For K = 1 (DSB2018)
   * both are the same: head 0 with 2 classes.
   */
  @Override
  public List<Task> tasks(int classes) {
    List<Task> tasks = new ArrayList<>();
    for (int k = 1; k <= classes; k++) {
      tasks.add(Task.of("map" + k, 2));
    }
    return tasks;
  }

  /** No pixel targets to start with: they come from voting, between rounds. */
  @Override
  public LabelImage[] targets(LabeledImage sample, int classes) {
    return null;
  }

  /** The tags, 1 = present, 0 = absent, one per class; null for an image without tags. */
  @Override
  public float[] imageLabels(LabeledImage sample, int classes) {
    return sample.tags().map(t -> {
      float[] out = new float[classes];
      for (int k = 0; k < classes; k++) {
        out[k] = t[k] ? 1 : 0;
      }
      return out;
    }).orElse(null);
  }

  /**
   * Rounds as the class comment says; crops of {@code -O crop=S} when given (the patch
   * size); only flips and 90-degree turns. A time budget stays as given: classification and
   * refinement rounds, and the votes between them, share it (docs/methods.md, Time budgets).
   */
  @Override
  public TrainConfig adjust(TrainConfig config) {
    int total = config.epochs();
    int perRound = (total + CLASSIFICATION_SHARE - 1) / CLASSIFICATION_SHARE;
    int classificationRounds = Math.max(1, Math.round((float) total / perRound));
    int rounds = classificationRounds + refineRounds;
    int crop = cropOption > 0 ? cropOption : config.crop();
    Augmentation a = config.effectiveAugmentation();
    TrainConfig.Builder b = config.toBuilder()
        .setRounds(rounds, perRound)
        .setCrop(crop)
        .setAugmentation(new Augmentation(a.flips(), a.rotate90(), 0, 1, 1));
    if (config.normalize() == null) {
      // Negatives (images tagged without objects) must stay dark: each image's own
      // percentiles would stretch a negative's background to the range of objects.
      b.optNormalize(Normalization.DATASET);
    }
    return b.build();
  }

  /** Refinement rounds: Adam afresh at each (or carried on), the refinement learning rate. */
  @Override
  public RoundOptimizer roundOptimizer(int round, TrainConfig config) {
    return round < classificationRounds(config) ? RoundOptimizer.SAME
        : new RoundOptimizer(refineLearningRate, freshAdam);
  }

  /** Engine rounds of the classification stage under a config after {@link #adjust}. */
  public int classificationRounds(TrainConfig adjusted) {
    return Math.max(1, adjusted.rounds() - refineRounds);
  }

  /** Round 0 .. C-1: BCE of the pooled maps against the tags; later rounds: soft Dice. */
  @Override
  public Objective objective(List<Task> tasks, TrainConfig config) {
    int classificationRounds = classificationRounds(config);
    return (outputs, batch, round) -> {
      if (round < classificationRounds) {
        if (batch.imageLabels() == null) {
          return outputs.head().sum().mul(0);
        }
        NDList maps = new NDList(outputs.size());
        for (NDArray logits : outputs) {
          maps.add(foreground(logits));
        }
        // NDArrays.concat of a single array returns a copy cut off from autograd.
        NDArray scores = pooling.pool(maps.size() == 1 ? maps.head() : NDArrays.concat(maps, 1));
        return TagLosses.binaryCrossEntropy(scores, batch.imageLabels());
      }
      NDArray total = null;
      int terms = 0;
      for (int t = 0; t < outputs.size(); t++) {
        NDArray dice = TagLosses.softDice(foreground(outputs.get(t)), batch.targets()[t]);
        if (dice != null) {
          total = total == null ? dice : total.add(dice);
          terms++;
        }
      }
      return total == null ? outputs.head().sum().mul(0) : total.div(terms).mul((float) diceWeight);
    };
  }

  /** (N, 2, H, W) logits to (N, 1, H, W) foreground probabilities. */
  static NDArray foreground(NDArray logits) {
    return logits.softmax(1).get(":, 1:2");
  }

  /**
   * Checks that every training image fits in the crop, then returns the hook that keeps
   * each stage's network and re-votes the pixel targets after it.
   */
  @Override
  public RoundHook roundHook(TrainingData data, Path runDir, TrainConfig config) {
    int crop = config.crop();
    int classificationRounds = classificationRounds(config);
    if (crop > 0) {
      for (Example e : data.train()) {
        FloatImage im = e.image();
        if (im.width() > crop || im.height() > crop) {
          throw new DatasetException(e.id() + ": image " + im.width() + "x" + im.height()
              + " is larger than the training crop " + crop + "; tags describe whole images, "
              + "so a random sub-crop could miss the object. Cut patches first (lazyseg patches"
              + " --size " + crop + ") or train with --crop >= the largest side");
        }
      }
    }
    Map<String, LabelImage> superpixels = new HashMap<>();
    return new RoundHook() {
      /** One tagged image's vote, timed once (its superpixels are kept for the votes). */
      private long perImage = -1;

      @Override
      public void afterRound(int round, Predictor predictor, List<Example> examples) {
        if (round < classificationRounds - 1) {
          return;
        }
        int stage = round - classificationRounds + 1;
        keepStage(runDir, stage);
        relabel(stage, predictor, examples, superpixels, runDir);
      }

      /** A vote after the classification stage and each refinement round but the last. */
      @Override
      public long estimateNanos(int round, Predictor predictor, List<Example> examples) {
        if (round < classificationRounds - 1) {
          return 0;
        }
        List<Example> tagged = examples.stream().filter(e -> e.imageLabels() != null).toList();
        if (tagged.isEmpty()) {
          return 0;
        }
        if (perImage < 0) {
          // The first image warms the network, the superpixels and the vote up; the next is
          // timed (its superpixels are kept: the first vote needs them anyway).
          for (Example e : tagged.subList(0, Math.min(2, tagged.size()))) {
            long start = System.nanoTime();
            float[][] maps = maps(predictor, e.image());
            LabelImage sp = superpixels.computeIfAbsent(e.id(), id -> superpixels(e.image()));
            SuperpixelVoting.vote(sp, threshold(maps[0], e.image().width(),
                e.image().height()), voteShare);
            perImage = Math.max(1, System.nanoTime() - start);
          }
        }
        return perImage * tagged.size();
      }
    };
  }

  /** The checkpoint name of the network after {@code stage} (0 = classification only). */
  public static String stageCheckpoint(int stage) {
    return "stage" + stage;
  }

  /**
   * The checkpoint of a finished stage in a run folder: {@code stageS}, or {@code last} for
   * the final stage; null when the run did not get that far.
   */
  public String checkpointOfStage(Path runDir, int stage) {
    RunFolder run = new RunFolder(runDir);
    if (run.checkpoint(stageCheckpoint(stage)) != null) {
      return stageCheckpoint(stage);
    }
    if (stage == refineRounds && run.checkpoint(RunFolder.LAST) != null) {
      Path state = run.checkpoint(RunFolder.LAST).resolve(RunFolder.STATE);
      var s = RunFolder.read(state, org.lazyseg.train.CheckpointState.class);
      if (s.epoch() >= s.config().epochs()) {
        return RunFolder.LAST;
      }
    }
    return null;
  }

  /** Copies checkpoint last (just written at the round's end) to stageS, once. */
  private static void keepStage(Path runDir, int stage) {
    RunFolder run = new RunFolder(runDir);
    try {
      // Nothing on a resumed run: the stage was kept before.
      run.copyCheckpoint(RunFolder.LAST, stageCheckpoint(stage));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep " + stageCheckpoint(stage) + " in "
          + run.checkpoints(), e);
    }
  }

  /**
   * New pixel targets from the current network: per class, the map above 1/2, voted into
   * superpixels; all background for an image tagged absent; none (ignored) for a class
   * without a tag or a positive image whose vote is empty.
   */
  private void relabel(int stage, Predictor predictor, List<Example> examples,
      Map<String, LabelImage> superpixels, Path runDir) {
    int positives = 0, voted = 0;
    double rawShare = 0, votedShare = 0;
    for (Example e : examples) {
      float[] tags = e.imageLabels();
      LabelImage[] targets = e.targets();
      if (tags == null) {
        continue;
      }
      float[][] maps = maps(predictor, e.image());
      int w = e.image().width(), h = e.image().height();
      for (int k = 0; k < targets.length && k < tags.length; k++) {
        if (Float.isNaN(tags[k])) {
          targets[k] = null;
        } else if (tags[k] == 0) {
          targets[k] = new LabelImage(w, h);
        } else {
          positives++;
          LabelImage raw = threshold(maps[k], w, h);
          LabelImage sp = superpixels.computeIfAbsent(e.id(), id -> superpixels(e.image()));
          LabelImage vote = SuperpixelVoting.vote(sp, raw, voteShare);
          double share = share(vote);
          rawShare += share(raw);
          votedShare += share;
          voted += share > 0 ? 1 : 0;
          targets[k] = share > 0 ? vote : null;
        }
      }
    }
    // Numbers only, so a formatted line needs no CSV library's quoting.
    String line = String.format(Locale.ROOT, "%d,%d,%d,%.5f,%.5f\n", stage, positives, voted,
        positives == 0 ? 0 : rawShare / positives, positives == 0 ? 0 : votedShare / positives);
    try {
      // Rewritten whole, atomically: a resume after a kill may vote a stage again.
      Path file = runDir.resolve(REFINEMENT_FILE);
      RunFolder.writeString(file, withVote(Files.exists(file)
          ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of(), stage, line));
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot write " + runDir.resolve(REFINEMENT_FILE), ex);
    }
  }

  /**
   * refinement.csv with the row of {@code stage}'s vote: the rows of earlier stages kept, any
   * of this stage or later (voted before a kill) replaced.
   */
  static String withVote(List<String> rows, int stage, String row) {
    StringBuilder text = new StringBuilder(
        "stage,positive_maps,voted_nonempty,raw_share,voted_share\n");
    for (String r : rows) {
      String first = r.split(",", 2)[0];
      if (first.matches("\\d+") && Integer.parseInt(first) < stage) {
        text.append(r).append('\n');
      }
    }
    return text.append(row).toString();
  }

  /** Felzenszwalb superpixels with this method's scale (the paper's 100). */
  public LabelImage superpixels(FloatImage image) {
    return SuperpixelVoting.superpixels(image, scale, SuperpixelVoting.DEFAULT_SIGMA,
        SuperpixelVoting.DEFAULT_MIN_SIZE);
  }

  /** Votes a map's mask into superpixels with this method's share (the paper's 0.2). */
  public LabelImage vote(LabelImage superpixels, LabelImage mask) {
    return SuperpixelVoting.vote(superpixels, mask, voteShare);
  }

  /** Foreground probability of each class, [class - 1][pixel], one pass over the tiles. */
  public static float[][] maps(Predictor predictor, FloatImage image) {
    float[][][] p = predictor.probabilities(image, allHeads(predictor));
    return maps(p);
  }

  private static int[] allHeads(Predictor predictor) {
    int[] all = new int[predictor.spec().tasks().size()];
    for (int t = 0; t < all.length; t++) {
      all[t] = t;
    }
    return all;
  }

  /** Each head's foreground plane ([head][1]). */
  private static float[][] maps(float[][][] p) {
    float[][] out = new float[p.length][];
    for (int t = 0; t < p.length; t++) {
      out[t] = p[t][1];
    }
    return out;
  }

  /** 1 where the map exceeds 1/2. */
  public static LabelImage threshold(float[] map, int width, int height) {
    int[] d = new int[map.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = map[i] > THRESHOLD ? 1 : 0;
    }
    return new LabelImage(width, height, d);
  }

  private static double share(LabelImage mask) {
    int n = 0;
    for (int v : mask.data()) {
      n += v > 0 ? 1 : 0;
    }
    return (double) n / mask.data().length;
  }

  /**
   * Each pixel gets the class whose map is highest there, if that map exceeds 1/2; the
   * probabilities are {1 - max_k p_k, p_1, ..., p_K} (for K = 1 exactly {1 - p, p}).
   */
  @Override
  public Segmentation segment(Predictor predictor, FloatImage image) {
    float[][] maps = maps(predictor, image);
    int n = image.width() * image.height();
    int[] classes = new int[n];
    float[][] probabilities = new float[maps.length + 1][];
    probabilities[0] = new float[n];
    decode(maps, n, 0, classes, probabilities[0]);
    System.arraycopy(maps, 0, probabilities, 1, maps.length);
    LabelImage labels = new LabelImage(image.width(), image.height(), classes);
    return new Segmentation(labels, SeparationCut.instances(labels, null), probabilities);
  }

  /** Decodes otherwise: see {@link #segmentInBands}. */
  @Override
  public int[] pixelHeads(Predictor predictor) {
    return null;
  }

  /**
   * {@link #segment}'s classes and instances, decoded row band by row band (pixel by pixel:
   * only a band of the maps is kept); the instances are the class image's components.
   */
  @Override
  public Segmentation segmentInBands(Predictor predictor, FloatImage image,
      float[] foreground) {
    int w = image.width(), h = image.height();
    LabelImage labels = new LabelImage(w, h);
    float[][] background = {new float[0]};   // the band's, grown to the largest band
    predictor.stream(image, (y0, rows, p) -> {
      int count = rows * w;
      if (background[0].length < count) {
        background[0] = new float[count];
      }
      decode(maps(p), count, y0 * w, labels.data(), background[0]);
      Bands.foregroundOf(background[0], count, y0 * w, foreground);
    }, allHeads(predictor));
    return new Segmentation(labels, SeparationCut.pieces(labels, null), null);
  }

  /**
   * Classes of {@code count} pixels (from {@code offset} on) from the maps (indexed from 0):
   * the class whose map is highest, if above 1/2; the background probability 1 - max_k p_k
   * into {@code background} (indexed from 0).
   */
  private static void decode(float[][] maps, int count, int offset, int[] classes,
      float[] background) {
    for (int j = 0; j < count; j++) {
      float best = 0;
      int label = 0;
      for (int k = 0; k < maps.length; k++) {
        if (maps[k][j] > best) {
          best = maps[k][j];
          label = maps[k][j] > THRESHOLD ? k + 1 : 0;
        }
      }
      classes[offset + j] = label;
      background[j] = 1 - best;
    }
  }
}
