package org.lazyseg.core.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;

class EvaluationTest {
  @TempDir Path dir;

  private Path write(String folder, String name, int w, int h, int... values) {
    LabelImage l = new LabelImage(w, h);
    System.arraycopy(values, 0, l.data(), 0, values.length);
    Path file = dir.resolve(folder).resolve(name);
    ImageFiles.writeLabels(l, file);
    return file;
  }

  @Test
  void scoresEachImageAndTheMean() {
    // a: perfect (all measures 1 / 0). b: truth [0,1], prediction [1,2] in a row of 4:
    // Dice 2*1/4 = 1/2, IoU 1/3, one object each so object Dice 1/2, H = 1.
    write("truth", "a.png", 4, 1, 0, 7, 7, 0);
    write("pred", "a.png", 4, 1, 0, 255, 255, 0);
    write("truth", "b.png", 4, 1, 1, 1, 0, 0);
    write("pred", "b.png", 4, 1, 0, 1, 1, 0);
    write("pred", "extra.png", 4, 1);
    Evaluation e = Evaluation.compare(dir.resolve("pred"), dir.resolve("truth"), 1);
    assertThat(e.images()).extracting(ImageScores::id).containsExactly("a", "b");
    ImageScores b = e.images().get(1);
    assertThat(b.dice()).isCloseTo(0.5, within(1e-9));
    assertThat(b.iou()).isCloseTo(1.0 / 3, within(1e-9));
    assertThat(b.objectDice()).isCloseTo(0.5, within(1e-9));
    assertThat(b.objectHausdorff()).isCloseTo(1.0, within(1e-6));
    assertThat(b.classDice()).isEmpty();
    assertThat(e.mean().dice()).isCloseTo(0.75, within(1e-9));
    assertThat(e.mean().iou()).isCloseTo(2.0 / 3, within(1e-9));
    assertThat(e.mean().objectHausdorff()).isCloseTo(0.5, within(1e-6));
    assertThat(e.toJson())
        .startsWith("{\"images\":[{\"id\":\"a\",\"dice\":1.0,\"iou\":1.0,\"object_dice\":1.0,\"object_hausdorff\":0.0,"
            + "\"count_error\":0.0,\"separation_precision\":null,\"separation_recall\":null},")
        .contains("{\"id\":\"b\",\"dice\":0.5,")
        .endsWith("],\"dice\":0.75,\"iou\":0.6666666666666666,\"object_dice\":0.75,\"object_hausdorff\":0.5,"
            + "\"count_error\":0.0,\"separation_precision\":null,\"separation_recall\":null}")
        .doesNotContain("class_dice");
    assertThat(e.toSummaryJson())
        .isEqualTo("{\"images\":2,\"dice\":0.75,\"iou\":0.6666666666666666,\"object_dice\":0.75,\"object_hausdorff\":0.5,"
            + "\"count_error\":0.0,\"separation_precision\":null,\"separation_recall\":null}");
  }

  @Test
  void countErrorPerImageAndSeparationPooledOverImages() {
    // a: two touching nuclei (1|2) predicted as one: one object missing, the pair not kept
    // apart. b: two touching nuclei cut right (ids 5|9), plus a predicted speck at x = 5 that
    // matches no nucleus: one object too many; the cut pair is right, the speck's pair with 9
    // (2 pixels apart) is not.
    write("truth", "a.png", 6, 1, 1, 1, 2, 2, 0, 0);
    write("pred", "a.png", 6, 1, 3, 3, 3, 3, 0, 0);
    write("truth", "b.png", 6, 1, 1, 1, 2, 2, 0, 0);
    write("pred", "b.png", 6, 1, 5, 5, 9, 9, 0, 4);
    Evaluation e = Evaluation.compare(dir.resolve("pred"), dir.resolve("truth"), 1);
    assertThat(e.images()).extracting(ImageScores::countError).containsExactly(1.0, 1.0);
    assertThat(e.images().get(0).separation()).isEqualTo(new SeparationMeasures(1, 0, 0, 0));
    assertThat(e.images().get(1).separation()).isEqualTo(new SeparationMeasures(1, 1, 2, 1));
    assertThat(e.mean().countError()).isEqualTo(1.0);
    // Pooled: recall 1 of 2 touching pairs kept apart, precision 1 of 2 close pairs right.
    assertThat(e.mean().separation()).isEqualTo(new SeparationMeasures(2, 1, 2, 1));
    assertThat(e.toSummaryJson())
        .endsWith("\"count_error\":1.0,\"separation_precision\":0.5,\"separation_recall\":0.5}");
  }

  @Test
  void perClassDiceWhenSeveralClasses() {
    // Classes 1 1 2 2 vs 1 2 2 2: class 1 2*1/3 = 2/3, class 2 2*2/5 = 4/5.
    write("truth", "a.png", 4, 1, 1, 1, 2, 2);
    write("pred", "a.tif", 4, 1, 1, 2, 2, 2);
    Evaluation e = Evaluation.compare(dir.resolve("pred"), dir.resolve("truth"), 2);
    assertThat(e.mean().classDice()).hasValueSatisfying(
        d -> assertThat(d).containsExactly(new double[] {2.0 / 3, 0.8}, within(1e-9)));
    // Foreground is the same everywhere.
    assertThat(e.mean().dice()).isEqualTo(1.0);
    // Objects: truth {0,1} class 1 and {2,3} class 2; prediction {0} and {1,2,3}.
    // G side 1/2 * 2/3 + 1/2 * 4/5 = 11/15; S side 1/4 * 2/3 + 3/4 * 4/5 = 23/30 -> 3/4.
    assertThat(e.mean().objectDice()).isCloseTo(0.75, within(1e-9));
    assertThat(e.toJson()).contains("\"class_dice\":[0.6666666666666666,0.8]}");
  }

  @Test
  void missingPrediction() {
    Path truth = write("truth", "gland_7.png", 2, 2);
    write("pred", "other.png", 2, 2);
    assertThatThrownBy(() -> Evaluation.compare(dir.resolve("pred"), dir.resolve("truth"), 1))
        .isInstanceOf(EvaluationException.class)
        .hasMessageContaining("no prediction gland_7").hasMessageContaining(truth.toString());
  }

  @Test
  void sizeMismatchNamesBothFiles() {
    Path truth = write("truth", "a.png", 3, 2);
    Path pred = write("pred", "a.png", 2, 3);
    assertThatThrownBy(() -> Evaluation.compare(dir.resolve("pred"), dir.resolve("truth"), 1))
        .isInstanceOf(EvaluationException.class)
        .hasMessageContaining(truth.toString()).hasMessageContaining(pred.toString())
        .hasMessageContaining("2x3").hasMessageContaining("3x2");
  }

  @Test
  void unreadablePrediction() throws Exception {
    write("truth", "a.png", 2, 2);
    Files.createDirectories(dir.resolve("pred"));
    Files.writeString(dir.resolve("pred/a.png"), "garbage");
    assertThatThrownBy(() -> Evaluation.compare(dir.resolve("pred"), dir.resolve("truth"), 1))
        .isInstanceOf(EvaluationException.class).hasMessageContaining("a.png");
  }

  @Test
  void everyBadPairIsNamedNotOnlyTheFirst() throws Exception {
    write("truth", "a.png", 2, 2);
    write("truth", "b.png", 3, 2);
    write("truth", "c.png", 2, 2);
    write("pred", "b.png", 2, 3);
    Files.writeString(dir.resolve("pred/c.png"), "garbage");
    assertThatThrownBy(() -> Evaluation.compare(dir.resolve("pred"), dir.resolve("truth"), 1))
        .isInstanceOf(EvaluationException.class)
        .hasMessageStartingWith("3 bad files:")
        .hasMessageContaining("no prediction a").hasMessageContaining("differ in size")
        .hasMessageContaining("c.png");
  }

  @Test
  void jsonEscapesIdsAndWritesNonFiniteAsNull() {
    ImageScores odd = new ImageScores("a\"b\\c", Double.NaN, 1, 1, Double.POSITIVE_INFINITY, 0,
        new SeparationMeasures(0, 0, 0, 0), java.util.Optional.empty());
    String json = Evaluation.of(java.util.List.of(odd)).toJson();
    assertThat(json).contains("\"id\":\"a\\\"b\\\\c\"").contains("\"dice\":null").contains("\"object_hausdorff\":null");
  }
}
