package org.lazyseg.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lazyseg.core.data.LabeledImage;
import org.lazyseg.core.data.TrainingSet;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.measure.PixelMeasures;
import org.lazyseg.core.synth.FoamGenerator;
import org.lazyseg.core.synth.FoamImage;
import org.lazyseg.train.predict.Segmentation;

/**
 * The README's "Java API" example, run as it is printed there: images and lazy labels made
 * in memory, two minutes of training, an image segmented that never touched the disk.
 */
class JavaApiExampleTest {
  @Test
  void readmeExampleTrainsAndSegmentsInMemory() throws Exception {
    // README:begin
    Path runFolder = Files.createTempDirectory("lazyseg").resolve("foam");
    FoamGenerator foam = new FoamGenerator(128, 128, FoamGenerator.Settings.defaults());
    // Twelve images in memory: six outlined, six with a dot inside each object.
    List<LabeledImage> images = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      FoamImage f = foam.generate(i);
      LabeledImage image = LabeledImage.of("foam" + i, f.image());
      images.add(i < 6 ? image.withMask(f.classes()) : image.withPartial(dots(f)));
    }
    TrainingSet set = TrainingSet.of(List.of("bubble", "crystal"), images);

    // Train the multi-task method for two minutes, then segment an image never written to disk.
    try (SegmentationModel model = Training.of("multitask").optProfile("quick")
        .optMinutes(2).train(set, runFolder)) {
      FoamImage unseen = foam.generate(99);
      Segmentation s = model.segment(unseen.image());
      System.out.println(model.describe() + ": " + s.instances().max() + " objects");
      // README:end
      assertThat(s.classes().width()).isEqualTo(128);
      assertThat(s.classes().max()).isLessThanOrEqualTo(2);
      assertThat(model.classNames()).containsExactly("bubble", "crystal");
      assertThat(PixelMeasures.dice(unseen.classes().foreground(), s.classes().foreground()))
          .as("two minutes of training find the objects").isGreaterThan(0.6);
      assertThat(s.instances().max()).isPositive();
    }
    assertThat(runFolder.resolve("checkpoints/best/parameters.bin")).isRegularFile();
    assertThat(runFolder.resolve("training-data.json")).content().contains("\"data\" : \"memory\"");
  }

  // README:helper-begin
  /** A lazy label drawn in code: a disc of radius 3 at each object's centre, of its class. */
  static LabelImage dots(FoamImage f) {
    LabelImage ids = f.instances(), dots = new LabelImage(ids.width(), ids.height());
    int w = ids.width();
    for (int id = 1; id <= ids.max(); id++) {
      long sx = 0, sy = 0, n = 0;
      for (int i = 0; i < ids.data().length; i++) {
        if (ids.data()[i] == id) {
          sx += i % w;
          sy += i / w;
          n++;
        }
      }
      for (int i = 0; n > 0 && i < ids.data().length; i++) {
        long dx = i % w - sx / n, dy = i / w - sy / n;
        if (ids.data()[i] == id && dx * dx + dy * dy <= 9) {
          dots.data()[i] = f.classes().data()[i];
        }
      }
    }
    return dots;
  }
  // README:helper-end

  /** The README shows exactly the lines between the markers above. */
  @Test
  void readmeShowsThisExample() throws Exception {
    String test = Files.readString(Path.of("src/test/java/org/lazyseg/api/JavaApiExampleTest.java"));
    String readme = Files.readString(Path.of("../README.md"));
    for (String part : List.of("README:begin", "README:helper-begin")) {
      String end = part.replace("begin", "end");
      String block = test.substring(test.indexOf("\n", test.indexOf(part)) + 1,
          test.lastIndexOf("\n", test.indexOf("// " + end)));
      assertThat(readme).as("README holds the example block after " + part)
          .contains(dedent(block));
    }
  }

  private static String dedent(String block) {
    int indent = Integer.MAX_VALUE;
    for (String line : block.split("\n")) {
      if (!line.isBlank()) {
        indent = Math.min(indent, line.length() - line.stripLeading().length());
      }
    }
    StringBuilder b = new StringBuilder();
    for (String line : block.split("\n")) {
      b.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
    }
    return b.toString().stripTrailing();
  }
}
