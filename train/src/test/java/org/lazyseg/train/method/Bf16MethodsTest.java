package org.lazyseg.train.method;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lazyseg.api.SegmentationModel;
import org.lazyseg.core.data.Dataset;
import org.lazyseg.core.data.ProgressCallback;
import org.lazyseg.core.data.Sample;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.weak.ObjectSize;
import org.lazyseg.train.RunFolder;
import org.lazyseg.train.TrainConfig;
import org.lazyseg.train.nn.Precision;
import org.lazyseg.train.testing.DiscDatasets;

/**
 * Every method trains in bf16 (its objective: masked cross-entropy, the size term with its
 * CPU-side gradient, global weighted pooling of tags; its rounds and phases) and its model
 * segments in bf16 and in fp32 alike. Runs on every CPU (emulated bf16 where it has no bf16
 * instructions).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Bf16MethodsTest {
  /**
   * Largest difference of a foreground probability between the same model segmenting in bf16
   * and in fp32, after a few steps of training: measured up to 0.03 here (bf16 keeps 8 bits of
   * mantissa; batch statistics of few steps are rough).
   */
  static final float PRECISION_TOLERANCE = 0.1f;

  private Path dir;
  private Dataset data;

  /** Discs with masks, partial masks, a size and a tag for every image. */
  @BeforeAll
  void writeDataset(@TempDir Path dir) throws IOException {
    this.dir = dir;
    Path d = DiscDatasets.write(dir.resolve("data"), 6, 48, 7);
    StringBuilder sizes = new StringBuilder("id,size\n");
    StringBuilder tags = new StringBuilder("id,foreground\n");
    for (Path mask : Files.list(d.resolve("masks")).sorted().toList()) {
      String id = mask.getFileName().toString().replace(".png", "");
      sizes.append(id).append(',').append(ObjectSize.size(ImageFiles.readLabels(mask)))
          .append('\n');
      tags.append(id).append(",1\n");
    }
    Files.writeString(d.resolve("sizes.csv"), sizes);
    Files.writeString(d.resolve("tags.csv"), tags);
    data = Dataset.open(d);
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "supervised;",
      "weak-only;",
      "multitask;",
      "multitask;network=multitask-decoder",
      "pseudo-labels;",
      "recursive;rounds=2,steps-per-round=2,overlays=0",
      "sizes;side=32,samples=2",
      "tags;r=5,refine=1",
      "lazy;"})
  void trainsAndSegmentsInBf16(String name, String settings) throws IOException {
    Map<String, String> options = settings == null ? Map.of() : parse(settings);
    TrainConfig config = TrainConfig.builder().setCrop(48).setBatch(2).setLearningRate(3e-3)
        .setEpochs(1).setStepsPerEpoch(3).optThreads(1).optSeed(2)
        .optPrecision(Precision.BF16).build();
    TrainingJob job = new TrainingJob(data, Methods.create(name, options),
        new TrainingData.Selection("train", 0.5, 0, 0), config).optWidth(4).optDepth(3);
    Path run = dir.resolve(name + (settings == null ? "" : settings.hashCode()));
    job.run(run, job.load(ProgressCallback.NONE));

    TrainingJob.Record record = RunFolder.read(run.resolve(TrainingJob.RECORD_FILE),
        TrainingJob.Record.class);
    assertThat(record.precision()).isEqualTo("bf16");
    assertThat(record.cpuBf16Flags()).isEqualTo(Precision.cpuBf16Flags());
    List<String> rows = Files.readAllLines(run.resolve("metrics.csv"));
    assertThat(rows).hasSizeGreaterThan(1);
    for (String row : rows.subList(1, rows.size())) {
      double loss = Double.parseDouble(row.split(",")[2]);
      assertThat(loss).as("%s train loss", name).isFinite().isPositive();
    }

    Sample sample = data.samples(Dataset.TRAIN).get(0);
    FloatImage image = sample.loadImage();
    float[] bf16, fp32;
    try (SegmentationModel m = open(run, Precision.BF16)) {
      assertThat(m.precision()).isEqualTo(Precision.BF16);
      bf16 = m.segment(image).foregroundProbability();
    }
    try (SegmentationModel m = open(run, Precision.FP32)) {
      assertThat(m.describe()).endsWith("fp32");
      fp32 = m.segment(image).foregroundProbability();
    }
    float max = 0;
    for (int i = 0; i < bf16.length; i++) {
      assertThat(bf16[i]).isBetween(0f, 1f);
      max = Math.max(max, Math.abs(bf16[i] - fp32[i]));
    }
    System.out.printf("%s %s: max |p_bf16 - p_fp32| = %.4f%n", name, options, max);
    assertThat(max).as(name).isLessThan(PRECISION_TOLERANCE);
  }

  private static SegmentationModel open(Path run, Precision p) throws IOException {
    return SegmentationModel.open(run, SegmentationModel.Options.DEFAULT.withThreads(1)
        .withMinArea(0).withPrecision(p));
  }

  private static Map<String, String> parse(String settings) {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    for (String kv : settings.split(",")) {
      String[] p = kv.split("=", 2);
      m.put(p[0], p[1]);
    }
    return m;
  }
}
