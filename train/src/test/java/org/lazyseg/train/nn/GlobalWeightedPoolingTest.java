package org.lazyseg.train.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GlobalWeightedPoolingTest {

  private static float[] randomScores(int n, long seed) {
    Random rng = new Random(seed);
    float[] s = new float[n];
    for (int i = 0; i < n; i++) {
      s[i] = rng.nextFloat();
    }
    return s;
  }

  /** The paper's formula, literally, in doubles (overflows for large r; fine here). */
  private static double literal(float[] s, double r) {
    double num = 0, den = 0;
    for (float v : s) {
      double w = Math.exp(r * v) - 1 + GlobalWeightedPooling.EPS;
      num += w * v;
      den += w;
    }
    return num / den;
  }

  private static double mean(float[] s) {
    double sum = 0;
    for (float v : s) {
      sum += v;
    }
    return sum / s.length;
  }

  private static double max(float[] s) {
    double m = 0;
    for (float v : s) {
      m = Math.max(m, v);
    }
    return m;
  }

  @Test
  void rZeroIsExactlyGlobalAveragePooling() {
    float[] s = randomScores(100, 1);
    assertThat(GlobalWeightedPooling.gwp(0).pool(s)).isCloseTo(mean(s), within(1e-12));
    assertThat(GlobalWeightedPooling.gap().pool(s)).isCloseTo(mean(s), within(1e-12));
    // r -> 0: the weights exp(r s) - 1 + eps tend to eps, all equal.
    assertThat(GlobalWeightedPooling.gwp(1e-9).pool(s)).isCloseTo(mean(s), within(1e-4));
  }

  @Test
  void largeRTendsToGlobalMaxPooling() {
    float[] s = randomScores(100, 2);
    double gmp = GlobalWeightedPooling.gmp().pool(s);
    assertThat(gmp).isEqualTo(max(s));
    assertThat(GlobalWeightedPooling.gwp(2000).pool(s)).isCloseTo(gmp, within(1e-3));
    // Stable where the literal formula overflows a double (exp(1e4) = infinity).
    assertThat(GlobalWeightedPooling.gwp(1e4).pool(s)).isCloseTo(gmp, within(1e-4));
  }

  @Test
  void growsWithRFromTheMeanToTheMaximum() {
    float[] s = randomScores(64, 3);
    double previous = mean(s);
    for (int r = 0; r <= 40; r++) {
      double v = GlobalWeightedPooling.gwp(r).pool(s);
      assertThat(v).isGreaterThanOrEqualTo(previous - 1e-12).isLessThanOrEqualTo(max(s));
      previous = v;
    }
  }

  @Test
  void knownAnswers() {
    // s = {0, 1}, r = ln 3: weights eps and 2 + eps, so (2 + eps) / (2 + 2 eps).
    double eps = GlobalWeightedPooling.EPS;
    float[] s = {0f, 1f};
    assertThat(GlobalWeightedPooling.gwp(Math.log(3)).pool(s))
        .isCloseTo((2 + eps) / (2 + 2 * eps), within(1e-9));
    // All scores equal: every pooling gives that score.
    float[] flat = {0.3f, 0.3f, 0.3f};
    for (GlobalWeightedPooling p : new GlobalWeightedPooling[] {
        GlobalWeightedPooling.gwp(7), GlobalWeightedPooling.gap(), GlobalWeightedPooling.gmp()}) {
      assertThat(p.pool(flat)).isCloseTo(0.3, within(1e-7));
    }
    // All zero (a silent map): eps keeps the weights positive, the score is 0, not NaN.
    assertThat(GlobalWeightedPooling.gwp(9).pool(new float[4])).isZero();
    // The literal formula for a middle r.
    float[] r = randomScores(50, 4);
    assertThat(GlobalWeightedPooling.gwp(5).pool(r)).isCloseTo(literal(r, 5), within(1e-9));
  }

  @Test
  void tensorPoolingMatchesTheCpuOnePerMap() {
    try (NDManager m = NDManager.newBaseManager()) {
      float[] s = randomScores(2 * 3 * 5 * 4, 5);
      NDArray maps = m.create(s, new Shape(2, 3, 5, 4));
      for (GlobalWeightedPooling p : new GlobalWeightedPooling[] {GlobalWeightedPooling.gwp(0),
          GlobalWeightedPooling.gwp(5), GlobalWeightedPooling.gwp(500),
          GlobalWeightedPooling.gap(), GlobalWeightedPooling.gmp()}) {
        float[] pooled = p.pool(maps).toFloatArray();
        assertThat(pooled).hasSize(6);
        for (int j = 0; j < 6; j++) {
          float[] one = new float[20];
          System.arraycopy(s, j * 20, one, 0, 20);
          assertThat((double) pooled[j]).as("%s map %d", p, j).isCloseTo(p.pool(one), within(1e-5));
        }
      }
    }
  }

  @Test
  void namesAndBadValues() {
    assertThat(GlobalWeightedPooling.of("GWP", 3).toString()).isEqualTo("GWP(r=3.0)");
    assertThat(GlobalWeightedPooling.of("gmp", 3).kind()).isEqualTo(GlobalWeightedPooling.Kind.GMP);
    assertThatThrownBy(() -> GlobalWeightedPooling.of("lse", 1)).hasMessageContaining("gwp, gap or gmp");
    assertThatThrownBy(() -> GlobalWeightedPooling.gwp(-1)).hasMessageContaining(">= 0");
  }
}
