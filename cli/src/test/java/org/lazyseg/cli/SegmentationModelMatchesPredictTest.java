package org.lazyseg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lazyseg.api.SegmentationModel;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.train.method.Methods;
import org.lazyseg.train.predict.Segmentation;

/**
 * For every method on the class path: the Java API ({@link SegmentationModel}) gives exactly
 * what {@code lazyseg predict} writes, on the same run and image, and its region-by-region
 * variant gives the same class ids inside a region as the whole image does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SegmentationModelMatchesPredictTest {
  private Path dir;
  private Path lazy;

  /** Settings that keep each method's training to a few steps on 48 x 48 images. */
  private static final Map<String, List<String>> TINY = Map.of(
      "recursive", List.of("-O", "rounds=2", "-O", "steps-per-round=2"),
      "sizes", List.of("-O", "side=48"),
      "tags", List.of("-O", "crop=48"));

  @BeforeAll
  void lazyLabels(@TempDir Path tmp) throws Exception {
    dir = tmp;
    Path truth = dir.resolve("truth");
    Discs.write(truth, 8, 5, 6);
    lazy = dir.resolve("lazy");
    CliTest.Result r = CliTest.run("simulate", "--from", truth.toString(), "--out",
        lazy.toString(), "--strong", "0.5", "--partial", "1", "--scribbles", "1", "--sizes",
        "--tags", "--seed", "2");
    assertThat(r.code()).as(r.err()).isZero();
  }

  Stream<Arguments> methods() {
    return Methods.all().stream().map(m -> Arguments.of(m.name()));
  }

  @ParameterizedTest
  @MethodSource("methods")
  void apiEqualsPredict(String method) throws Exception {
    Path run = dir.resolve("run-" + method);
    List<String> train = new ArrayList<>(List.of("train", "--data", lazy.toString(), "--out",
        run.toString(), "--method", method, "--profile", "quick", "--epochs", "1",
        "--steps-per-epoch", "2", "--crop", "32", "--batch", "2", "--width", "4", "--depth",
        "3", "--threads", "1", "--no-progress"));
    train.addAll(TINY.getOrDefault(method, List.of()));
    CliTest.Result t = CliTest.run(train.toArray(String[]::new));
    assertThat(t.code()).as(t.err()).isZero();

    Path out = dir.resolve("pred-" + method);
    CliTest.Result p = CliTest.run("predict", "--model", run.toString(), "--input",
        lazy.toString(), "--out", out.toString(), "--instances", "--threads", "1");
    assertThat(p.code()).as(p.err()).isZero();

    List<Path> images;
    try (Stream<Path> files = Files.list(out)) {
      images = files.filter(f -> f.toString().endsWith(".png")).sorted().toList();
    }
    assertThat(images).isNotEmpty();
    try (SegmentationModel model = SegmentationModel.open(run,
        SegmentationModel.Options.DEFAULT.withThreads(1))) {
      assertThat(model.method()).isEqualTo(method);
      for (Path written : images) {
        String id = written.getFileName().toString().replace(".png", "");
        FloatImage image = ImageFiles.readImage(lazy.resolve("images").resolve(id + ".png"));
        Segmentation s = model.segment(image);
        assertThat(s.classes().data()).as(method + " classes of " + id)
            .isEqualTo(ImageFiles.readLabels(written).data());
        assertThat(s.instances().data()).as(method + " instances of " + id)
            .isEqualTo(ImageFiles.readLabels(out.resolve("instances").resolve(id + ".png"))
                .data());
      }
      // Cut into regions (as Spark cuts a large image): the regions' class ids and cuts,
      // finished whole, are predict's ids, for every method that decodes pixel by pixel.
      for (Path written : images) {
        if (!model.decodesRegions()) {
          break;
        }
        String id = written.getFileName().toString().replace(".png", "");
        FloatImage image = ImageFiles.readImage(lazy.resolve("images").resolve(id + ".png"));
        int w = image.width(), h = image.height();
        LabelImage classes = new LabelImage(w, h);
        LabelImage cut = model.cuts() ? new LabelImage(w, h) : null;
        for (int y0 = 0; y0 < h; y0 += 20) {
          for (int x0 = 0; x0 < w; x0 += 17) {
            LabelImage c = new LabelImage(Math.min(17, w - x0), Math.min(20, h - y0));
            LabelImage k = cut == null ? null : new LabelImage(c.width(), c.height());
            model.decodeRegion(image, x0, y0, c, k, null);
            for (int y = 0; y < c.height(); y++) {
              for (int x = 0; x < c.width(); x++) {
                classes.set(x0 + x, y0 + y, c.get(x, y));
                if (k != null) {
                  cut.set(x0 + x, y0 + y, k.get(x, y));
                }
              }
            }
          }
        }
        Segmentation s = model.finish(classes, cut);
        assertThat(s.classes().data()).as(method + " classes of " + id + " from regions")
            .isEqualTo(ImageFiles.readLabels(written).data());
        assertThat(s.instances().data()).as(method + " instances of " + id + " from regions")
            .isEqualTo(ImageFiles.readLabels(out.resolve("instances").resolve(id + ".png"))
                .data());
      }
      // Region by region: a window's class ids are those of the whole image where the
      // method decides pixel by pixel; where it looks at whole objects, the window's margin
      // keeps them here (the objects are smaller than a tile).
      FloatImage image = ImageFiles.readImage(lazy.resolve("images").resolve(
          images.get(0).getFileName().toString()));
      LabelImage whole = model.segment(image).classes();
      LabelImage region = new LabelImage(20, 16);
      LabelImage ids = new LabelImage(20, 16);
      model.segment(image, 13, 21, region, ids);
      assertThat(region.data()).as(method + " region").isEqualTo(whole.crop(13, 21, 20, 16, 0)
          .data());
      assertThat(Arrays.stream(ids.data()).allMatch(v -> v >= 0)).isTrue();
    }
  }
}
