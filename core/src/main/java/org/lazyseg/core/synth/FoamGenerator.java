package org.lazyseg.core.synth;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.lazyseg.core.data.CsvTable;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;

/**
 * Synthetic stand-in for the papers' SEM images of ice-cream foam: densely packed, often
 * touching air bubbles (class {@link #BUBBLE}) and ice crystals (class {@link #CRYSTAL}) on a
 * textured matrix. Deterministic: the same seed always gives the same pixels.
 *
 * <pre>{@code
 * FoamImage one = new FoamGenerator().generate(42);
 * new FoamGenerator().writeDataset(dir, 40, 10, 7);
 * }</pre>
 */
public final class FoamGenerator {
  public static final int BUBBLE = 1;
  public static final int CRYSTAL = 2;

  /**
   * Knobs of the layout.
   *
   * @param meanRadius nominal object radius in pixels (radii vary 0.6 to 1.4 times this)
   * @param spacing kept centres are at least {@code spacing x (r_i + r_j)} apart; below 1
   *     neighbours overlap and so touch
   * @param crystalFraction probability that an object is a crystal
   * @param dartAttempts candidate centres tried per image
   * @param minArea objects with fewer pixels are dropped
   */
  public record Settings(double meanRadius, double spacing, double crystalFraction,
      int dartAttempts, int minArea) {
    public static Settings defaults() {
      return new Settings(13, 0.82, 0.4, 1500, 25);
    }
  }

  private final int width;
  private final int height;
  private final Settings settings;

  /** 192 x 192 images with the default settings. */
  public FoamGenerator() {
    this(192, 192, Settings.defaults());
  }

  public FoamGenerator(int width, int height, Settings settings) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("image size must be positive: " + width + " x " + height);
    }
    this.width = width;
    this.height = height;
    this.settings = settings;
  }

  public FoamImage generate(long seed) {
    Random rnd = new Random(seed);
    FoamLayout layout = FoamLayout.generate(width, height, settings, rnd);
    int[] classes = new int[width * height];
    for (int p = 0; p < classes.length; p++) {
      int id = layout.instances[p];
      classes[p] = id == 0 ? 0 : layout.blobs.get(id - 1).classId;
    }
    return new FoamImage(FoamRenderer.render(layout, rnd),
        new LabelImage(width, height, classes), new LabelImage(width, height, layout.instances));
  }

  /**
   * Writes {@code trainCount + testCount} images in the dataset layout:
   * <ul>
   *   <li>{@code images/ID.png}: 8-bit grey picture</li>
   *   <li>{@code masks/ID.png}: 8-bit class ids (0 background, 1 bubble, 2 crystal)</li>
   *   <li>{@code instances/ID.png}: 16-bit instance ids (0 background, 1..n)</li>
   *   <li>{@code classes.txt}: class names for ids 1, 2, one a line</li>
   *   <li>{@code split.csv}: header {@code id,split}, then one row per image, train or test</li>
   * </ul>
   * Ids are {@code foam0000}, {@code foam0001}, ...: train images first. Image {@code i} is
   * {@link #generate(long)} of a seed mixed from {@code seed} and {@code i}, so a larger
   * dataset with the same seed starts with the same images.
   */
  public void writeDataset(Path dir, int trainCount, int testCount, long seed) {
    if (trainCount < 0 || testCount < 0) {
      throw new IllegalArgumentException("counts must not be negative: " + trainCount + ", " + testCount);
    }
    CsvTable.Writer split = CsvTable.of("id", "split");
    for (int i = 0; i < trainCount + testCount; i++) {
      String id = String.format("foam%04d", i);
      FoamImage img = generate(imageSeed(seed, i));
      ImageFiles.writeImage(img.image(), dir.resolve("images").resolve(id + ".png"), false);
      ImageFiles.writeLabels(img.classes(), dir.resolve("masks").resolve(id + ".png"));
      writeSixteenBit(img.instances(), dir.resolve("instances").resolve(id + ".png"));
      split.row(id, i < trainCount ? "train" : "test");
    }
    writeText(dir.resolve("classes.txt"), "bubble\ncrystal\n");
    writeText(dir.resolve("split.csv"), split.text());
  }

  /** Decorrelated per-image seeds (SplitMix64 finaliser), so neighbouring images differ fully. */
  static long imageSeed(long seed, int index) {
    long z = seed + 0x9E3779B97F4A7C15L * (index + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Always 16-bit, unlike {@link ImageFiles#writeLabels}, so readers see one fixed format. */
  private static void writeSixteenBit(LabelImage labels, Path file) {
    if (labels.max() > 65535) {
      throw new IllegalArgumentException("more than 65535 instances: " + file);
    }
    BufferedImage img = new BufferedImage(labels.width(), labels.height(), BufferedImage.TYPE_USHORT_GRAY);
    img.getRaster().setSamples(0, 0, labels.width(), labels.height(), 0, labels.data());
    ImageFiles.write(img, file);
  }

  private static void writeText(Path file, String text) {
    ImageFiles.writeText(file, text);
  }

}
