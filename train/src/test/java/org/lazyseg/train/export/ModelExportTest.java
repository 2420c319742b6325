package org.lazyseg.train.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.api.SegmentationModel;
import org.lazyseg.api.TinyModels;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.synth.FoamGenerator;
import org.lazyseg.train.data.Normalization;
import org.lazyseg.train.nn.Precision;
import org.lazyseg.train.predict.Predictor;

/** A model trained for a few steps, exported, and its folder read back as a user would. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelExportTest {
  private Path run;
  private FloatImage sample;

  @BeforeAll
  void train(@TempDir Path dir) throws IOException {
    run = TinyModels.supervisedFoam(dir.resolve("run"));
    sample = new FoamGenerator(150, 110, FoamGenerator.Settings.defaults()).generate(7).image();
  }

  private ModelExport.Exported export(Path out) throws IOException {
    try (SegmentationModel model = SegmentationModel.open(run,
        SegmentationModel.Options.DEFAULT.withThreads(1))) {
      return model.export(sample, out, "foam cells", "a tester", "CC-BY-4.0");
    }
  }

  @Test
  void theFolderHoldsAModuleThatReproducesLazySegsProbabilities(@TempDir Path dir)
      throws IOException {
    Path out = dir.resolve("export");
    ModelExport.Exported done = export(out);
    // 110 rounded down to a multiple of 4 (depth 3): the centred 108 x 108 crop.
    assertThat(done.side()).isEqualTo(108);
    assertThat(done.outputChannels()).containsExactly("segmentation:background",
        "segmentation:cell");
    assertThat(out).isDirectoryContaining(p -> p.getFileName().toString().equals("cover.png"))
        .isDirectoryContaining(p -> p.getFileName().toString().equals("README.md"));
    assertThat(dir).isDirectoryNotContaining(p -> p.getFileName().toString().contains(
        "partial"));

    Npy.Array input = Npy.read(out.resolve(ModelExport.TEST_INPUT));
    Npy.Array output = Npy.read(out.resolve(ModelExport.TEST_OUTPUT));
    assertThat(input.shape()).containsExactly(1, 1, 108, 108);
    assertThat(output.shape()).containsExactly(1, 2, 108, 108);
    FloatImage crop = sample.crop(21, 1, 108, 108);
    assertThat(input.data()).isEqualTo(crop.data());

    Normalization norm;
    float[] own;
    try (Predictor p = Predictor.open(run, "best", Precision.FP32)) {
      norm = p.spec().normalization();
      own = p.setTileSize(108).probabilities(crop, 0)[1];
    }
    float[] exported = ModelExport.run(out.resolve(ModelExport.TORCHSCRIPT),
        norm.normalised(crop));
    float[] foreground = java.util.Arrays.copyOfRange(exported, 108 * 108, 2 * 108 * 108);
    assertThat(ModelExport.largestDifference(foreground, own)).isLessThan(1e-4);
    assertThat(ModelExport.largestDifference(output.data(), exported)).isLessThan(1e-4);
    assertThat(done.largestDifference()).isLessThan(ModelExport.TOLERANCE);

    JsonNode rdf = new ObjectMapper(new YAMLFactory()).readTree(
        out.resolve(ModelExport.RDF).toFile());
    assertThat(rdf.path("type").asText()).isEqualTo("model");
    assertThat(rdf.path("name").asText()).isEqualTo("foam cells");
    assertThat(rdf.path("license").asText()).isEqualTo("CC-BY-4.0");
    assertThat(rdf.path("weights").path("torchscript").path("source").asText())
        .isEqualTo("model.pt");
    JsonNode in = rdf.path("inputs").get(0);
    assertThat(in.path("axes").get(2).path("size").path("step").asInt()).isEqualTo(4);
    JsonNode pre = in.path("preprocessing").get(0).path("kwargs");
    assertThat((float) pre.path("mean").get(0).asDouble()).isEqualTo(norm.mean()[0]);
    assertThat((float) pre.path("std").get(0).asDouble()).isEqualTo(norm.std()[0]);
    assertThat(rdf.path("outputs").get(0).path("axes").get(1).path("channel_names").get(1)
        .asText()).isEqualTo("segmentation:cell");
  }

  @Test
  void aPercentileModelExportsItsPercentilesAsScaleRange(@TempDir Path dir) throws IOException {
    Path percentileRun = TinyModels.supervisedFoam(dir.resolve("run"), "percentile");
    Path out = dir.resolve("export");
    FloatImage bright = new FloatImage(sample.width(), sample.height(), 1);
    for (int i = 0; i < bright.data().length; i++) {
      bright.data()[i] = 0.2f + 0.5f * sample.data()[i];
    }
    ModelExport.Exported done;
    try (SegmentationModel model = SegmentationModel.open(percentileRun,
        SegmentationModel.Options.DEFAULT.withThreads(1))) {
      done = model.export(bright, out, "p", "a", null);
    }
    assertThat(done.largestDifference()).isLessThan(ModelExport.TOLERANCE);
    JsonNode rdf = new ObjectMapper(new YAMLFactory()).readTree(
        out.resolve(ModelExport.RDF).toFile());
    assertThat(rdf.has("license")).isFalse();
    JsonNode steps = rdf.path("inputs").get(0).path("preprocessing");
    assertThat(steps).hasSize(1);
    assertThat(steps.get(0).path("id").asText()).isEqualTo("scale_range");
    assertThat(steps.get(0).path("kwargs").path("max_percentile").asDouble()).isEqualTo(99.8);
    assertThat(Files.readString(out.resolve("README.md"))).contains("np.percentile(x, [1.0, 99.8]");
    // The module takes the percentile-normalised crop: LazySeg's probabilities of the crop.
    Npy.Array input = Npy.read(out.resolve(ModelExport.TEST_INPUT));
    Npy.Array output = Npy.read(out.resolve(ModelExport.TEST_OUTPUT));
    FloatImage crop = new FloatImage(108, 108, 1, input.data());
    try (Predictor p = Predictor.open(percentileRun, "best", Precision.FP32)) {
      float[] exported = ModelExport.run(out.resolve(ModelExport.TORCHSCRIPT),
          p.spec().normalization().normalised(crop));
      assertThat(ModelExport.largestDifference(output.data(), exported)).isLessThan(1e-4);
    }
  }

  @Test
  void anExistingFolderOrATooSmallSampleIsRefusedAndNothingIsLeft(@TempDir Path dir)
      throws IOException {
    Path existing = Files.createDirectories(dir.resolve("there"));
    assertThatThrownBy(() -> export(existing)).hasMessageContaining("there exists");
    FloatImage tiny = new FloatImage(3, 40, 1);
    try (SegmentationModel model = SegmentationModel.open(run,
        SegmentationModel.Options.DEFAULT.withThreads(1))) {
      assertThatThrownBy(() -> model.export(tiny, dir.resolve("new"), "n", "a", null))
          .isInstanceOf(ModelExport.SampleException.class)   // the CLI names the sample
          .hasMessageContaining("3 x 40 pixels; the network needs at least 4 x 4");
    }
    try (var left = Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("there");
    }
  }
}
