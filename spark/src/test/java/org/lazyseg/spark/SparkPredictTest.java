package org.lazyseg.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.cli.LazySeg;
import org.lazyseg.cli.Prediction;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.measure.ObjectsCsv;

/**
 * {@code lazyseg predict --spark local[2]} against plain {@code lazyseg predict} on the same
 * tiny trained model and folder: the same class, instance and object files, also for an
 * image split into regions with an object across a region border; the Parquet table read
 * back; a task that fails once is retried with the same result; a rerun skips what is done.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkPredictTest {
  /** Regions of the split image (its size: 160 x 120, so 3 x 2 regions). */
  private static final int REGION = 64;

  private Path dir, run, images, plain;
  private String plainLog;

  @BeforeAll
  void trainAndPredict(@TempDir Path tmp) throws Exception {
    dir = tmp;
    Path data = dir.resolve("data");
    writeDiscs(data, 6, 3);
    run = dir.resolve("run");
    Result t = lazyseg("train", "--data", data.toString(), "--out", run.toString(),
        "--profile", "quick", "--crop", "32", "--batch", "4", "--width", "4", "--depth", "3",
        "--steps-per-epoch", "30", "--epochs", "1", "--threads", "1", "--no-progress");
    assertThat(t.code()).as(t.err()).isZero();
    images = dir.resolve("images");
    Files.createDirectories(images);
    for (int i = 0; i < 3; i++) {
      Files.copy(data.resolve("images/im" + i + ".png"), images.resolve("im" + i + ".png"));
    }
    // A larger image with a disc on the border between the first two regions (x = 64).
    ImageFiles.writeImage(discs(160, 120, new int[][] {{REGION, 40, 9}, {120, 90, 8},
        {30, 95, 7}}, new Random(7)), images.resolve("big.png"), false);
    plain = dir.resolve("plain");
    Result p = lazyseg("predict", "--model", run.toString(), "--input", images.toString(),
        "--out", plain.toString(), "--instances", "--measure", "--tile", "32",
        "--threads", "1");
    assertThat(p.code()).as(p.err()).isZero();
    plainLog = p.err();
  }

  @AfterAll
  void noFailureLeftOn() {
    System.clearProperty(Tasks.FAIL_ONCE);
  }

  @Test
  void sameOutputsAsPredictWithARetriedTaskAndATable() throws Exception {
    Path out = dir.resolve("spark");
    System.setProperty(Tasks.FAIL_ONCE, "big");
    int injected = Tasks.injected();
    Result s;
    try {
      s = sparkPredict(out);
    } finally {
      System.clearProperty(Tasks.FAIL_ONCE);
    }
    assertThat(s.code()).as(s.err()).isZero();
    assertThat(Tasks.injected()).as("the assembly of big failed once").isEqualTo(injected + 1);
    assertThat(s.err()).contains("in 6 regions").contains("4 images segmented");
    assertThat(ModelCache.opened()).as("models opened in this JVM: one per task slot")
        .isLessThanOrEqualTo(2);
    assertThat(out.resolve(RegionFiles.FOLDER).resolve("big")).doesNotExist();

    for (String id : List.of("im0", "im1", "im2", "big")) {
      LabelImage classes = ImageFiles.readLabels(plain.resolve(id + ".png"));
      assertThat(ImageFiles.readLabels(out.resolve(id + ".png")).data()).as(id + " classes")
          .isEqualTo(classes.data());
      assertThat(ImageFiles.readLabels(out.resolve("instances/" + id + ".png")).data())
          .as(id + " instances")
          .isEqualTo(ImageFiles.readLabels(plain.resolve("instances/" + id + ".png")).data());
      assertThat(out.resolve("objects/" + id + ".csv")).hasSameTextualContentAs(
          plain.resolve("objects/" + id + ".csv"));
    }
    assertThat(out.resolve("objects.csv")).hasSameTextualContentAs(plain.resolve("objects.csv"));
    // The disc on the region border is one object on both sides of it, as predict has it.
    LabelImage objects = ImageFiles.readLabels(out.resolve("instances/big.png"));
    int across = objects.get(REGION - 1, 40);
    assertThat(across).as("an object at the border of regions 1 and 2").isPositive()
        .isEqualTo(objects.get(REGION, 40));

    // The Parquet table: the rows of objects.csv, typed.
    List<List<String>> csv = new ObjectsCsv(List.of("foreground"), false)
        .read(plain.resolve("objects.csv"));
    assertThat(csv).isNotEmpty();
    SparkSession spark = SparkSession.builder().master("local[1]").appName("read back")
        .config("spark.ui.enabled", "false").getOrCreate();
    try {
      List<Row> rows = spark.read().parquet(out.resolve("objects.parquet").toString())
          .orderBy("image", "object").collectAsList();
      assertThat(rows).hasSize(csv.size());
      Set<String> seen = new HashSet<>();
      for (Row row : rows) {
        List<String> line = csv.stream().filter(c -> c.get(0).equals(row.getString(0))
            && Integer.parseInt(c.get(1)) == row.getInt(1)).findFirst().orElseThrow();
        seen.add(row.getString(0) + "/" + row.getInt(1));
        assertThat(row.getString(row.fieldIndex("class"))).isEqualTo(line.get(2));
        assertThat(row.getInt(row.fieldIndex("area"))).isEqualTo(Integer.parseInt(line.get(3)));
        assertThat(row.getDouble(row.fieldIndex("centroid_x")))
            .isEqualTo(Double.parseDouble(line.get(5)));
        assertThat(row.getInt(row.fieldIndex("bbox_width"))).isEqualTo(Integer.parseInt(line.get(9)));
        assertThat(row.getDouble(row.fieldIndex("mean_intensity")))
            .isEqualTo(Double.parseDouble(line.get(15)));
      }
      assertThat(seen).hasSize(csv.size());
      assertThat(seen).contains("big/" + across);
    } finally {
      spark.stop();
    }

    // A rerun skips the finished images and segments the one whose output went missing.
    Files.delete(out.resolve("big.png"));
    Result again = sparkPredict(out);
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.err()).contains("im0  done before, skipped")
        .contains("1 images segmented".replace("1 images", "1 image"))
        .contains("3 done before and skipped");
    assertThat(ImageFiles.readLabels(out.resolve("big.png")).data())
        .isEqualTo(ImageFiles.readLabels(plain.resolve("big.png")).data());
    assertThat(out.resolve("objects.csv")).hasSameTextualContentAs(plain.resolve("objects.csv"));
    try (Stream<Path> left = Files.walk(out)) {
      assertThat(left.map(Path::getFileName).map(Path::toString)
          .filter(n -> n.endsWith(".tmp"))).as("temporary files left").isEmpty();
    }
    assertThat(plainLog).contains("4 images segmented");
  }

  @Test
  void aPercentileModelSeesTheWholeImagesPercentilesInEveryRegion() throws Exception {
    Path data = dir.resolve("data"), percentileRun = dir.resolve("percentile-run");
    Result t = lazyseg("train", "--data", data.toString(), "--out", percentileRun.toString(),
        "--profile", "quick", "--crop", "32", "--batch", "4", "--width", "4", "--depth", "3",
        "--steps-per-epoch", "30", "--epochs", "1", "--threads", "1", "--no-progress",
        "--normalize", "percentile");
    assertThat(t.code()).as(t.err()).isZero();
    assertThat(Files.readString(percentileRun.resolve("model.json"))).contains("percentile");
    // The left third dimmed: its regions alone have other percentiles than the image.
    Path input = dir.resolve("dimmed");
    FloatImage big = discs(160, 120, new int[][] {{REGION, 40, 9}, {120, 90, 8}, {30, 95, 7}},
        new Random(8));
    for (int y = 0; y < 120; y++) {
      for (int x = 0; x < 56; x++) {
        big.set(0, x, y, big.get(0, x, y) * 0.4f);
      }
    }
    ImageFiles.writeImage(big, input.resolve("big.png"), false);
    Path plainOut = dir.resolve("dimmed-plain"), sparkOut = dir.resolve("dimmed-spark");
    String[] common = {"--model", percentileRun.toString(), "--input", input.toString(),
        "--instances", "--probabilities", "--tile", "32"};
    Result p = lazyseg(concat(new String[] {"predict", "--out", plainOut.toString(),
        "--threads", "1"}, common));
    assertThat(p.code()).as(p.err()).isZero();
    Result s = lazyseg(concat(new String[] {"predict", "--spark", "local[2]", "--spark-region",
        Integer.toString(REGION), "--out", sparkOut.toString()}, common));
    assertThat(s.code()).as(s.err()).isZero();
    assertThat(s.err()).contains("in 6 regions");
    for (String file : List.of("big.png", "instances/big.png", "probabilities/big.png")) {
      assertThat(ImageFiles.readLabels(sparkOut.resolve(file)).data()).as(file)
          .isEqualTo(ImageFiles.readLabels(plainOut.resolve(file)).data());
    }
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void localMastersAreTriedAgain() {
    assertThat(SparkPredict.withRetries("local[2]")).isEqualTo("local[2,4]");
    assertThat(SparkPredict.withRetries("local[*]")).isEqualTo("local[*,4]");
    assertThat(SparkPredict.withRetries("local")).isEqualTo("local[1,4]");
    assertThat(SparkPredict.withRetries("spark://h:7077")).isEqualTo("spark://h:7077");
  }

  @Test
  void smallFilesAreGroupedByPixels() {
    List<Work> works = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      works.add(Work.file(new Prediction.Item("im" + i, "im" + i + ".png"), i + 1, 10));
    }
    List<Long> hundred = java.util.Collections.nCopies(10, 100L);
    // 1000 pixels, at most 300 a task: 4 groups of 2 to 3 files, in the batch's order.
    List<List<Work>> groups = SparkPredict.groups(works, hundred, 300, 2);
    assertThat(groups).hasSize(4);
    assertThat(groups).allSatisfy(g -> assertThat(g.size()).isBetween(2, 3));
    assertThat(groups.stream().flatMap(List::stream).toList()).isEqualTo(works);
    // At least minGroups tasks, at most one per file.
    assertThat(SparkPredict.groups(works, hundred, 1_000_000, 5)).hasSize(5);
    assertThat(SparkPredict.groups(works, hundred, 1_000_000, 40)).hasSize(10);
    assertThat(SparkPredict.groups(works, hundred, 1_000_000, 1)).hasSize(1);
    // A large file is a group alone; an unreadable one (0) counts as the mean.
    List<Long> mixed = new java.util.ArrayList<>(hundred);
    mixed.set(4, 10_000L);
    mixed.set(7, 0L);
    List<List<Work>> byPixels = SparkPredict.groups(works, mixed, 2_000, 2);
    assertThat(byPixels).anySatisfy(g -> assertThat(g).containsExactly(works.get(4)));
    assertThat(byPixels.stream().flatMap(List::stream).toList()).isEqualTo(works);
    assertThat(SparkPredict.groups(List.of(), List.of(), 300, 2)).isEmpty();
  }

  private Result sparkPredict(Path out) {
    return lazyseg("predict", "--spark", "local[2]", "--spark-region", Integer.toString(REGION),
        "--model", run.toString(), "--input", images.toString(), "--out", out.toString(),
        "--instances", "--tile", "32");
  }

  private record Result(int code, String err) {}

  private static Result lazyseg(String... args) {
    StringWriter err = new StringWriter();
    var cl = LazySeg.commandLine();
    cl.setErr(new PrintWriter(err, true));
    cl.setOut(new PrintWriter(new StringWriter(), true));
    int code = cl.execute(args);
    return new Result(code, err.toString());
  }

  /** {@code n} images of 48 x 48 with two bright discs each, masks of them; 2 test images. */
  private static void writeDiscs(Path data, int n, long seed) throws Exception {
    Random rnd = new Random(seed);
    StringBuilder split = new StringBuilder("id,split\n");
    for (int i = 0; i < n; i++) {
      int[][] discs = new int[2][];
      for (int k = 0; k < 2; k++) {
        discs[k] = new int[] {10 + rnd.nextInt(28), 10 + rnd.nextInt(28), 5 + rnd.nextInt(4)};
      }
      FloatImage image = discs(48, 48, discs, rnd);
      LabelImage mask = new LabelImage(48, 48);
      for (int y = 0; y < 48; y++) {
        for (int x = 0; x < 48; x++) {
          mask.set(x, y, image.get(0, x, y) > 0.5f ? 1 : 0);
        }
      }
      ImageFiles.writeImage(image, data.resolve("images/im" + i + ".png"), false);
      ImageFiles.writeLabels(mask, data.resolve("masks/im" + i + ".png"));
      split.append("im").append(i).append(',').append(i < n - 2 ? "train" : "test").append('\n');
    }
    Files.writeString(data.resolve("split.csv"), split);
  }

  /** Bright discs {x, y, r} (0.7 to 0.8) on dark noise (0.2 to 0.3). */
  private static FloatImage discs(int w, int h, int[][] discs, Random rnd) {
    FloatImage img = new FloatImage(w, h, 1);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        boolean in = false;
        for (int[] d : discs) {
          in |= (x - d[0]) * (x - d[0]) + (y - d[1]) * (y - d[1]) <= d[2] * d[2];
        }
        img.set(0, x, y, (in ? 0.7f : 0.2f) + 0.1f * rnd.nextFloat());
      }
    }
    return img;
  }
}
