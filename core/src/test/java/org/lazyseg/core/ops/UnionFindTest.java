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
}
