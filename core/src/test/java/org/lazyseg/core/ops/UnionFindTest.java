package org.lazyseg.core.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnionFindTest {
  @Test
  void setsAreNamedByTheirSmallestElement() {
    UnionFind sets = new UnionFind(6);
    assertThat(sets.find(4)).isEqualTo(4);
    sets.union(5, 3);
    sets.union(4, 5);
    sets.union(2, 1);
    assertThat(sets.find(4)).isEqualTo(3);
    assertThat(sets.find(5)).isEqualTo(3);
    assertThat(sets.find(2)).isEqualTo(1);
    sets.union(5, 2);
    for (int k = 1; k < 6; k++) {
      assertThat(sets.find(k)).as("element %d", k).isEqualTo(1);
    }
    assertThat(sets.find(0)).isZero();
    sets.union(3, 3);
    assertThat(sets.find(3)).isEqualTo(1);
  }

  @Test
  void addedElementsGrowTheSetsAndSetsAreNumberedByTheirSmallestElement() {
    UnionFind sets = new UnionFind(0);
    for (int k = 0; k < 40; k++) {
      assertThat(sets.add()).isEqualTo(k);
    }
    assertThat(sets.size()).isEqualTo(40);
    sets.union(39, 7);
    sets.union(12, 39);
    sets.union(3, 2);
    int[] number = sets.numberSets();
    // sets in order of their smallest element: {0}, {1}, {2, 3}, {4}, {5}, {6}, {7, 12, 39}
    assertThat(number[0]).isEqualTo(1);
    assertThat(number[2]).isEqualTo(3).isEqualTo(number[3]);
    assertThat(number[7]).isEqualTo(7).isEqualTo(number[12]).isEqualTo(number[39]);
    assertThat(number[8]).isEqualTo(8);
    assertThat(number[38]).isEqualTo(37);
    assertThat(sets.find(39)).isEqualTo(7);
  }
}
