package org.lazyseg.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.weak.LazyLabels;

/** Labelled images in memory and the training sets made of them. */
class TrainingSetTest {

  private static LabeledImage image(String id) {
    return LabeledImage.of(id, new FloatImage(8, 6, 1));
  }

  private static LabelImage disc() {
    LabelImage m = new LabelImage(8, 6);
    m.set(2, 2, 1);
    m.set(3, 2, 1);
    m.set(6, 4, 2);
    return m;
  }

  @Test
  void labelsAreKeptByKindAndCheckedAgainstTheImage() {
    LabeledImage a = image("a").withPartial(disc()).withTags(true).withObjectSize(12.5);
    assertThat(a.kinds()).containsExactlyInAnyOrder(LabeledImage.Kind.PARTIAL,
        LabeledImage.Kind.TAGS, LabeledImage.Kind.SIZE);
    assertThat(a.mask()).isEmpty();
    assertThat(a.partial().orElseThrow().data()).isEqualTo(disc().data());
    assertThat(a.size()).containsExactly(8, 6);
    assertThatThrownBy(() -> image("b").withMask(new LabelImage(5, 6)))
        .hasMessage("b: mask is 5x6, the image 8x6");
    assertThatThrownBy(() -> image("c").withObjectSize(-1))
        .hasMessageContaining("object size must be a positive number");
    assertThatThrownBy(() -> LabeledImage.of("", new FloatImage(1, 1, 1)))
        .hasMessageContaining("non-empty id");
  }

  @Test
  void aMaskOfClassIdsGivesInstancesByRegionAndAnInstanceMaskKeepsItsIds() {
    LabeledImage byClass = image("a").withMask(disc());
    assertThat(byClass.instances().orElseThrow().max()).isEqualTo(2);
    LabelImage ids = new LabelImage(8, 6);
    ids.set(1, 1, 7);
    ids.set(2, 1, 9);   // touching objects keep their own ids
    LabeledImage byIds = image("b").withInstanceMask(ids);
    assertThat(byIds.mask().orElseThrow().data()).containsOnly(0, 1);
    assertThat(byIds.instances().orElseThrow().data()).contains(7, 9);
    assertThat(byIds.withoutMask().kinds()).isEmpty();
    assertThat(image("c").withScribbles(disc()).scribbles().orElseThrow().max()).isEqualTo(1);
  }

  @Test
  void aSetChecksIdsValidationMasksAndTags() {
    assertThatThrownBy(() -> TrainingSet.of(List.of("x"), List.of(image("a"), image("a"))))
        .hasMessage("image id 'a' occurs twice");
    assertThatThrownBy(() -> new TrainingSet(List.of("x"), List.of(image("a")),
        List.of(image("v")))).hasMessageContaining("'v' has no strong mask");
    assertThatThrownBy(() -> TrainingSet.of(List.of("x"), List.of(image("a").withTags(true,
        false)))).hasMessage("image 'a' has 2 tags, the set 1 classes");
    assertThatThrownBy(() -> TrainingSet.of(List.of(), List.of(image("a"))))
        .hasMessageContaining("class name");
    TrainingSet set = TrainingSet.of(List.of("x"), List.of(image("a").withMask(disc()),
        image("b").withPartial(disc())));
    assertThat(set.kinds()).containsExactlyInAnyOrder(LabeledImage.Kind.MASK,
        LabeledImage.Kind.PARTIAL);
    assertThat(set.strongIds()).containsExactly("a");
  }

  @Test
  void theStrongFractionKeepsTheSameImagesAsTheSimulatorsSubset() {
    List<LabeledImage> images = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      images.add(image("im" + i).withMask(disc()).withPartial(disc()));
      ids.add("im" + i);
    }
    TrainingSet kept = TrainingSet.of(List.of("x"), images).withStrongFraction(0.25, 11);
    assertThat(kept.strongIds()).containsExactlyElementsOf(LazyLabels.strongSubset(ids, 0.25, 11))
        .hasSize(5);
    assertThat(kept.train()).hasSize(20).allMatch(i -> i.has(LabeledImage.Kind.PARTIAL));
    assertThat(TrainingSet.of(List.of("x"), images).withStrongFraction(0.25, 11).strongIds())
        .isEqualTo(kept.strongIds());
  }

  @Test
  void aDatasetFolderIsOneWayToMakeASet(@TempDir Path dir) throws Exception {
    for (String id : List.of("a", "b", "v")) {
      ImageFiles.writeImage(new FloatImage(8, 6, 1), dir.resolve("images/" + id + ".png"), false);
      ImageFiles.writeLabels(disc(), dir.resolve("masks/" + id + ".png"));
    }
    ImageFiles.writeLabels(disc(), dir.resolve("partial/b.png"));
    java.nio.file.Files.writeString(dir.resolve("split.csv"), "id,split\nv,val\n");
    TrainingSet set = Dataset.open(dir).trainingSet("train");
    assertThat(set.train()).extracting(LabeledImage::id).containsExactly("a", "b");
    assertThat(set.validation()).extracting(LabeledImage::id).containsExactly("v");
    assertThat(set.train().get(1).kinds()).contains(LabeledImage.Kind.PARTIAL);
    assertThat(set.train().get(0).mask().orElseThrow().max()).isEqualTo(1);
    assertThatThrownBy(() -> Dataset.open(dir).trainingSet("nope"))
        .hasMessageContaining("no images in split 'nope'");
  }
}
