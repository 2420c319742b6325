package org.lazyseg.core.weak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.lazyseg.core.image.LabelImage;

/** Pairing annotated cores with predicted objects, on 1-row images. */
class SeedThresholdTest {
  private static LabelImage row(int... values) {
    return new LabelImage(values.length, 1, values.clone());
  }

  @Test
  void onlyOneToOnePairsCount() {
    LabelImage cores = row(1, 1, 0, 2, 2, 0, 3, 3, 0, 0);
    // object 1 holds core 1; object 2 holds cores 2 and 3 (a merge); object 3 meets no core
    LabelImage objects = row(1, 1, 0, 2, 2, 2, 2, 2, 0, 3);
    SeedThreshold.Agreement a = SeedThreshold.agreement(objects, cores);
    assertThat(a.pairs()).isEqualTo(1);
    assertThat(a.cores()).isEqualTo(3);
    assertThat(a.objects()).as("object 3 meets no core: not counted").isEqualTo(2);
    assertThat(a.f1()).isEqualTo(2.0 / 5);
    // core object Dice on the 6 annotated pixels: cores 1, 2, 3 (2 px each) against object 1
    // (2 px there, Dice 1) and object 2 (4 px there, Dice 2*2/(2+4) with core 2 or 3)
    double joined = 2.0 * 2 / (2 + 4);
    double coreSide = (2 * 1.0 + 2 * joined + 2 * joined) / 6;
    double objectSide = (2 * 1.0 + 4 * joined) / 6;
    assertThat(a.coreDice()).isCloseTo(0.5 * (coreSide + objectSide), within(1e-12));
    assertThat(SeedThreshold.agreement(row(1, 1, 0, 2, 2, 0, 3, 3, 0, 0), cores).coreDice())
        .as("one object per core").isEqualTo(1.0);
    assertThat(SeedThreshold.agreement(row(0, 0, 0, 0, 0, 0, 0, 0, 0, 5), cores).coreDice())
        .as("no object on any core").isZero();

    // core 1 split between two objects: no pair for it
    SeedThreshold.Agreement split =
        SeedThreshold.agreement(row(1, 2, 0, 3, 3, 0, 4, 4, 0, 0), cores);
    assertThat(split.pairs()).isEqualTo(2);
    assertThat(split.objects()).isEqualTo(4);
    assertThat(split.plus(a).pairs()).isEqualTo(3);
    assertThat(SeedThreshold.agreement(row(0, 0, 0), row(0, 0, 0)).images())
        .as("an image without cores says nothing").isZero();
  }

  @Test
  void candidatesScaleTheLeastSeedByTheMedianCore() {
    // cores of 1, 3 and 5 pixels: median 3
    LabelImage cores = row(1, 0, 2, 2, 2, 0, 3, 3, 3, 3, 3);
    java.util.List<SeedThreshold.Candidate> c = SeedThreshold.candidates(java.util.List.of(cores));
    assertThat(c).hasSize(SeedThreshold.CANDIDATES.size() * SeedThreshold.MIN_SEED_SHARES.size());
    assertThat(c.get(c.size() - 1).minSeed())
        .isEqualTo((int) Math.round(3 * SeedThreshold.MIN_SEED_SHARES.get(2)));
    SeedThreshold.Candidate low = c.get(0).scored(new SeedThreshold.Agreement(1, 2, 2, 1.0, 2));
    SeedThreshold.Candidate high = c.get(1).scored(new SeedThreshold.Agreement(1, 2, 2, 1.6, 2));
    SeedThreshold.Candidate tie = c.get(2).scored(new SeedThreshold.Agreement(1, 2, 2, 1.6, 2));
    assertThat(SeedThreshold.best(java.util.List.of(low, high, tie))).isSameAs(high);
  }

  @Test
  void coresAreTheAnnotatedIdsOrElseComponents() {
    // a single-class partial mask with instance ids: object 2's core is two islands
    LabelImage ids = row(1, 0, 2, 0, 2, 0, 0);
    assertThat(SeedThreshold.cores(ids, 1).data()).containsExactly(1, 0, 2, 0, 2, 0, 0);
    // a plain 0/1 mask (or class ids): 8-connected components
    assertThat(SeedThreshold.cores(row(1, 0, 1, 1, 0, 1, 0), 1).data())
        .containsExactly(1, 0, 2, 2, 0, 3, 0);
    assertThat(SeedThreshold.cores(row(1, 0, 2, 2, 0, 1, 0), 2).max()).isEqualTo(3);
  }
}
