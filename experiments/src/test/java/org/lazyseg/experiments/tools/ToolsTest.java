package org.lazyseg.experiments.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;

/**
 * Smoke tests of the tools that need no trained run (HeadCombos, RecursiveSeeds and
 * TagsRunReport do; they are only compiled): each reads a tiny folder and prints its lines.
 */
class ToolsTest {
  @TempDir Path dir;

  /**
   * Two 24 x 24 images, one on a dark and one on a bright background: a disc (object 1) as
   * truth, a shifted disc as prediction, a small disc as partial mask.
   */
  @BeforeEach
  void writeFolders() {
    for (String id : new String[] {"dark", "bright"}) {
      FloatImage image = new FloatImage(24, 24, 1);
      LabelImage truth = disc(11, 12, 6);
      LabelImage pred = disc(12, 12, 6);
      LabelImage prob = new LabelImage(24, 24);
      for (int i = 0; i < image.data().length; i++) {
        image.data()[i] = (truth.data()[i] > 0) == id.equals("dark") ? 0.8f : 0.1f;
        prob.data()[i] = pred.data()[i] > 0 ? 60000 : 1000;
      }
      String png = id + ".png";
      ImageFiles.writeImage(image, dir.resolve("data/images").resolve(png), false);
      ImageFiles.writeLabels(truth, dir.resolve("data/masks").resolve(png));
      ImageFiles.writeLabels(disc(11, 12, 2), dir.resolve("data/partial").resolve(png));
      ImageFiles.writeLabels(pred, dir.resolve("pred").resolve(png));
      ImageFiles.writeLabels(pred, dir.resolve("pred/instances").resolve(png));
      ImageFiles.writeLabels(prob, dir.resolve("prob").resolve(png));
    }
  }

  private static LabelImage disc(int cx, int cy, int r) {
    LabelImage m = new LabelImage(24, 24);
    for (int y = 0; y < 24; y++) {
      for (int x = 0; x < 24; x++) {
        m.set(x, y, (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r ? 1 : 0);
      }
    }
    return m;
  }

  interface Main {
    void run(String[] args) throws Exception;
  }

  /** What {@code main} prints to System.out. */
  private static String out(Main main, String... args) throws Exception {
    PrintStream saved = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      main.run(args);
    } finally {
      System.setOut(saved);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private String p(String relative) {
    return dir.resolve(relative).toString();
  }

  @Test
  void measuringToolsPrintOneJsonLinePerSetting() throws Exception {
    assertThat(out(PooledPrecisionRecall::main, p("pred"), p("data/masks")))
        .startsWith("{").contains("\"precision\":", "\"pooled_dice\":");
    assertThat(out(ThresholdSweep::main, p("prob"), p("data/masks"), "0.5,0.99").lines())
        .hasSize(2).allSatisfy(l -> assertThat(l).contains("\"mean_dice\":"));
    assertThat(out(PieceCount::main, p("pred"), p("data/masks"), "10"))
        .contains("\"instances\":1.0", "\"truth_objects\":1.0");
    assertThat(out(MinAreaRescore::main, p("pred/instances"), p("data/masks"), "0,1000").lines())
        .hasSize(2).last().asString().contains("\"min_area\":1000", "\"count_error\":1.00");
    assertThat(out(DiceByBackground::main, p("data/images"), p("data/masks"), p("pred/instances")))
        .contains("\"dark_images\":1", "\"bright_images\":1");
    assertThat(out(CoreReach::main, p("data"), "1,3", "0").lines()).hasSize(3)
        .first().asString().contains("\"objects\":2");
    // Two discs of 113 pixels: a quarter of the 5th percentile is 28.
    assertThat(out(LeastObjectArea::main, p("data"), "1.0", "1"))
        .contains("\"strong_images\":2", "\"min_area\":28");
  }

  @Test
  void pictureToolsStackTheirInputs() throws Exception {
    ImageFiles.writeRgb(new int[20 * 10], 20, 10, dir.resolve("one.png"));
    ImageFiles.writeRgb(new int[30 * 6], 30, 6, dir.resolve("two.png"));
    Stack.main(new String[] {p("stack.png"), "0.5", p("one.png"), p("two.png")});
    BufferedImage stack = ImageIO.read(dir.resolve("stack.png").toFile());
    assertThat(stack.getWidth()).isEqualTo(15);
    assertThat(stack.getHeight()).isEqualTo(5 + 3);
    StackPictures.main(new String[] {p("pictures.png"), p("one.png"), p("two.png")});
    BufferedImage pictures = ImageIO.read(dir.resolve("pictures.png").toFile());
    assertThat(pictures.getWidth()).isEqualTo(30);
    assertThat(pictures.getHeight()).isEqualTo(10 + 4 + 6);
  }
}
