package org.lazyseg.train.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class UNetTest {

  /** Trainable values of torch_reference.py's block(cin, cout): two convs and two norms. */
  private static long torchBlock(long cin, long cout) {
    return 9 * cin * cout + cout + 2 * cout + 9 * cout * cout + cout + 2 * cout;
  }

  @Test
  void parameterCountEqualsTorchReference() {
    long expected = torchBlock(1, 32) + torchBlock(32, 64) + torchBlock(64, 128)
        + torchBlock(128, 256) + torchBlock(256 + 128, 128) + torchBlock(128 + 64, 64)
        + torchBlock(64 + 32, 32) + 32 * 2 + 2;
    assertThat(expected).isEqualTo(1_949_154L); // sum(p.numel()) printed by torch_reference
    UNet net = UNet.builder().setInputChannels(1).setHeads(2).optWidth(32).build();
    try (NDManager m = NDManager.newBaseManager()) {
      net.initialize(m, DataType.FLOAT32, new Shape(1, 1, 16, 16));
      assertThat(net.trainableParameterCount()).isEqualTo(expected);
    }
  }

  @Test
  void outputsOneLogitsArrayPerHead() {
    UNet net = UNet.builder().setInputChannels(3).setHeads(2, 3).optWidth(4).optDepth(3).build();
    try (NDManager m = NDManager.newBaseManager()) {
      net.initialize(m, DataType.FLOAT32, new Shape(2, 3, 16, 24));
      NDList out = net.forward(new ParameterStore(m, false),
          new NDList(m.randomNormal(new Shape(2, 3, 16, 24))), false);
      assertThat(out).hasSize(2);
      assertThat(out.get(0).getShape()).isEqualTo(new Shape(2, 2, 16, 24));
      assertThat(out.get(1).getShape()).isEqualTo(new Shape(2, 3, 16, 24));
    }
  }

  @Test
  void bilinearUpsamplingMatchesTorchAlignCornersFalse() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(new float[] {1, 2, 3, 4}, new Shape(1, 1, 2, 2));
      float[] y = Upsample2x.upsample(x).toFloatArray();
      // torch.nn.functional.interpolate(x, scale_factor=2, mode="bilinear")
      float[] torch = {
          1.00f, 1.25f, 1.75f, 2.00f,
          1.50f, 1.75f, 2.25f, 2.50f,
          2.50f, 2.75f, 3.25f, 3.50f,
          3.00f, 3.25f, 3.75f, 4.00f};
      assertThat(y).containsExactly(torch, org.assertj.core.data.Offset.offset(1e-6f));
    }
  }

  @Test
  void bilinearUpsamplingOfNonSquareMultiChannelInput() {
    try (NDManager m = NDManager.newBaseManager()) {
      // Rows are constant ramps; each channel a different offset: a linear ramp along x
      // stays linear inside and clamps at the borders.
      NDArray x = m.arange(3f).reshape(1, 1, 1, 3).repeat(2, 2).concat(
          m.arange(3f).add(10).reshape(1, 1, 1, 3).repeat(2, 2), 1);
      NDArray y = Upsample2x.upsample(x);
      assertThat(y.getShape()).isEqualTo(new Shape(1, 2, 4, 6));
      float[] row = y.get("0,1,3,:").toFloatArray();
      assertThat(row).containsExactly(new float[] {10f, 10.25f, 10.75f, 11.25f, 11.75f, 12f},
          org.assertj.core.data.Offset.offset(1e-6f));
    }
  }

  @Test
  void bilinearUpsamplingOfRandomInputMatchesTheClampedTwoTapFormula() {
    int c = 2, h = 5, w = 7;
    java.util.Random rnd = new java.util.Random(4);
    float[] in = new float[c * h * w];
    for (int i = 0; i < in.length; i++) {
      in[i] = rnd.nextFloat() * 10 - 5;
    }
    try (NDManager m = NDManager.newBaseManager()) {
      float[] y = Upsample2x.upsample(m.create(in, new Shape(1, c, h, w))).toFloatArray();
      // Oracle: per axis, out 2i = .25 x[i-1] + .75 x[i], out 2i+1 = .75 x[i] + .25 x[i+1],
      // indices clamped (PyTorch bilinear, align_corners=False, scale 2).
      for (int ch = 0; ch < c; ch++) {
        for (int oy = 0; oy < 2 * h; oy++) {
          for (int ox = 0; ox < 2 * w; ox++) {
            double v = 0;
            for (int[] ty : taps(oy, h)) {
              for (int[] tx : taps(ox, w)) {
                v += ty[1] / 4.0 * tx[1] / 4.0 * in[(ch * h + ty[0]) * w + tx[0]];
              }
            }
            assertThat(y[(ch * 2 * h + oy) * 2 * w + ox]).isCloseTo((float) v,
                org.assertj.core.data.Offset.offset(1e-5f));
          }
        }
      }
    }
  }

  /** {index, weight in quarters} of the two source pixels of output o along an axis of n. */
  private static int[][] taps(int o, int n) {
    int i = o / 2;
    int other = o % 2 == 0 ? Math.max(0, i - 1) : Math.min(n - 1, i + 1);
    return new int[][] {{i, 3}, {other, 1}};
  }

  @Test
  void bilinearUpsamplingPassesGradientsBack() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.randomNormal(new Shape(2, 3, 4, 6));
      x.setRequiresGradient(true);
      try (ai.djl.training.GradientCollector c =
          ai.djl.engine.Engine.getInstance().newGradientCollector()) {
        c.backward(Upsample2x.upsample(x).sum());
      }
      // Each input pixel's weights sum to 2 per axis (border pixels too, as with clamping).
      assertThat(x.getGradient().toFloatArray()).containsOnly(4f);
    }
  }

  @Test
  void channelsLastKeepsShapeAndValues() {
    try (NDManager m = NDManager.newBaseManager()) {
      for (int c : new int[] {1, 3}) {
        NDArray x = m.randomNormal(new Shape(2, c, 5, 7));
        NDArray y = UNet.channelsLast(x);
        assertThat(y.getShape()).isEqualTo(x.getShape());
        assertThat(y.toFloatArray()).containsExactly(x.toFloatArray());
        // Elementwise arithmetic and slicing see the same (N, C, H, W) array.
        assertThat(y.get("1,:,4,6").toFloatArray()).containsExactly(x.get("1,:,4,6").toFloatArray());
      }
    }
  }

  @Test
  void bilinearUpsamplingOfChannelsLastDataEqualsThatOfPlainData() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.randomNormal(new Shape(2, 5, 6, 4));
      float[] plain = Upsample2x.upsample(x).toFloatArray();
      NDArray cl = UNet.channelsLast(x);
      cl.setRequiresGradient(true);
      NDArray up;
      try (ai.djl.training.GradientCollector c =
          ai.djl.engine.Engine.getInstance().newGradientCollector()) {
        up = Upsample2x.upsample(cl);
        c.backward(up.sum());
      }
      assertThat(up.toFloatArray()).containsExactly(plain, org.assertj.core.data.Offset.offset(1e-6f));
      assertThat(cl.getGradient().toFloatArray()).containsOnly(4f);
    }
  }

  @Test
  void upsamplingRejectsArraysThatAreNotImages() {
    try (NDManager m = NDManager.newBaseManager()) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> Upsample2x.upsample(m.zeros(new Shape(3, 4, 4))))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(N, C, H, W)");
    }
  }

  @Test
  void upsamplingWhileAnotherThreadTrainsGivesTheSameValues() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.randomNormal(new Shape(1, 3, 8, 8));
      float[] expected = Upsample2x.upsample(x).toFloatArray();
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
      try {
        java.util.concurrent.Future<float[]> training = pool.submit(() -> {
          float[] grad = null;
          for (int i = 0; i < 50; i++) {
            try (NDManager s = m.newSubManager()) {
              NDArray y = x.duplicate();
              s.tempAttachAll(y);
              y.setRequiresGradient(true);
              try (ai.djl.training.GradientCollector c =
                  ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                c.backward(Upsample2x.upsample(y).sum());
              }
              grad = y.getGradient().toFloatArray();
            }
          }
          return grad;
        });
        java.util.concurrent.Future<Boolean> predicting = pool.submit(() -> {
          for (int i = 0; i < 50; i++) {
            try (NDManager s = m.newSubManager()) {
              NDArray in = x.duplicate();
              s.tempAttachAll(in);
              if (!java.util.Arrays.equals(Upsample2x.upsample(in).toFloatArray(), expected)) {
                return false;
              }
            }
          }
          return true;
        });
        assertThat(predicting.get()).isTrue();
        assertThat(training.get()).containsOnly(4f);
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
