package org.lazyseg.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.core.data.DatasetLabels.Kind;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;

/** Regions written by DatasetLabels read back by Dataset, as lazyseg train reads them. */
class DatasetLabelsTest {
  @TempDir Path dir;

  private static LabelImage rect(int x0, int y0, int w, int h) {
    LabelImage r = new LabelImage(20, 10);
    for (int y = y0; y < y0 + h; y++) {
      for (int x = x0; x < x0 + w; x++) {
        r.set(x, y, 1);
      }
    }
    return r;
  }

  @Test
  void regionsSizesAndTagsAreReadBackAsTheDatasetContract() {
    ImageFiles.writeImage(new FloatImage(20, 10, 1), dir.resolve("images/a.png"), false);
    DatasetLabels labels = DatasetLabels.at(dir);
    int gland = labels.classId("gland");
    labels.add("a", Kind.STRONG, rect(1, 1, 3, 3), gland);
    int vessel = labels.classId("vessel");
    labels.add("a", Kind.STRONG, rect(10, 1, 4, 4), vessel);
    labels.add("a", Kind.PARTIAL, rect(15, 6, 2, 2), gland);
    labels.add("a", Kind.SCRIBBLE, rect(5, 0, 1, 10), 0);
    labels.setSize("a", 7.5);
    labels.setTags("a", new boolean[] {true, false});

    Sample s = Dataset.open(dir).sample("a").orElseThrow();
    assertThat(Dataset.open(dir).classNames()).containsExactly("gland", "vessel");
    assertThat(s.loadClasses().get(2, 2)).isEqualTo(1);
    assertThat(s.loadClasses().get(11, 2)).isEqualTo(2);
    assertThat(s.loadInstances().get(2, 2)).isNotEqualTo(s.loadInstances().get(11, 2));
    assertThat(s.loadPartial().get(15, 6)).isEqualTo(1);
    assertThat(s.loadScribbles().get(5, 5)).isNotZero();
    assertThat(s.size().getAsDouble()).isEqualTo(7.5);
    assertThat(s.tags().orElseThrow()).containsExactly(true, false);

    assertThat(labels.remove("a", Kind.STRONG, rect(0, 0, 8, 10))).isEqualTo(9);
    assertThat(Dataset.open(dir).sample("a").orElseThrow().loadClasses().get(2, 2)).isZero();
    labels.remove("a", null, null);
    assertThat(dir.resolve("masks/a.png")).doesNotExist();
    assertThat(dir.resolve("partial/a.png")).doesNotExist();
    assertThat(dir.resolve("scribbles/a.png")).doesNotExist();
  }

  @Test
  void aFolderOfInstanceIdsKeepsItsConventionAndRefusesASecondClass() throws Exception {
    ImageFiles.writeImage(new FloatImage(20, 10, 1), dir.resolve("images/a.png"), false);
    ImageFiles.writeInstances(rect(1, 1, 2, 2), dir.resolve("masks/a.png"));
    DatasetLabels labels = DatasetLabels.at(dir);
    assertThat(labels.holdsClassIds()).isFalse();
    assertThat(labels.add("a", Kind.STRONG, rect(10, 1, 2, 2), labels.classId("foreground")))
        .isEqualTo(2);
    assertThatThrownBy(() -> labels.classId("vessel")).isInstanceOf(DatasetException.class)
        .hasMessageContaining("instance ids of one class");
    assertThat(Files.exists(dir.resolve("classes.txt"))).isFalse();
    assertThat(Dataset.open(dir).sample("a").orElseThrow().loadInstances().max()).isEqualTo(2);
  }
}
