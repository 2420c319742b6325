package org.lazyseg.train.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Plain bilinear x2 upsampling of an (N, C, H, W) array with {@code align_corners=False}
 * semantics, exactly as PyTorch's {@code F.interpolate(x, scale_factor=2, mode="bilinear")}.
 *
 * <p>Why not DJL's resize: on PyTorch it calls the anti-aliased kernel, which is slower and
 * not what the reference network uses; DJL's PyTorch engine has no transposed convolution
 * either. Per axis, output 2i is 0.25 x[i-1] + 0.75 x[i] and output 2i+1 is
 * 0.75 x[i] + 0.25 x[i+1], indices clamped at the border. So after replicate-padding by one
 * pixel, each of the four output phases (row parity, column parity) is a fixed 3x3 filter of
 * the input: one depthwise convolution with 4 outputs per channel computes all of them, and
 * a reshape/transpose interleaves them (pixel shuffle). Exact to float rounding, no
 * parameters. Measured here (2 cores, width 16, batch 8, 192 x 192): a training step takes
 * about 1.0 s with this, 1.3 s with the same arithmetic as element-wise ops, and 0.9 s with
 * (inexact) nearest-neighbour upsampling, the floor for any upsampling.
 */
public final class Upsample2x extends AbstractBlock {
  /** Per-axis taps of phase 0 (even outputs) and phase 1 (odd outputs) on the padded input. */
  private static final float[][] TAPS = {{0.25f, 0.75f, 0f}, {0f, 0.75f, 0.25f}};

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore, NDList inputs, boolean training,
      PairList<String, Object> params) {
    return new NDList(upsample(inputs.singletonOrThrow()));
  }

  /** Upsamples an (N, C, H, W) array to (N, C, 2H, 2W). */
  public static NDArray upsample(NDArray x) {
    Shape s = x.getShape();
    long n = s.get(0), c = s.get(1), h = s.get(2), w = s.get(3);
    NDArray padded = replicatePad(replicatePad(x, 2), 3);
    NDArray phases = x.getNDArrayInternal().convolution(padded, filters(x, (int) c), null,
        new Shape(1, 1), new Shape(0, 0), new Shape(1, 1), (int) c).singletonOrThrow();
    // Channel c * 4 + 2a + b holds output pixels (2i + a, 2j + b).
    return phases.reshape(n, c, 2, 2, h, w).transpose(0, 1, 4, 2, 5, 3)
        .reshape(n, c, 2 * h, 2 * w);
  }

  /** Depthwise weights (4C, 1, 3, 3): for every channel, the four phase filters. */
  private static NDArray filters(NDArray like, int channels) {
    float[] weights = new float[channels * 4 * 9];
    for (int ch = 0; ch < channels; ch++) {
      for (int a = 0; a < 2; a++) {
        for (int b = 0; b < 2; b++) {
          int base = (ch * 4 + a * 2 + b) * 9;
          for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
              weights[base + i * 3 + j] = TAPS[a][i] * TAPS[b][j];
            }
          }
        }
      }
    }
    return like.getManager().create(weights, new Shape(4L * channels, 1, 3, 3))
        .toDevice(like.getDevice(), false);
  }

  /** Repeats the first and last slice along {@code axis} (2 = rows, 3 = columns). */
  private static NDArray replicatePad(NDArray x, int axis) {
    long n = x.getShape().get(axis);
    String before = axis == 2 ? ":,:," : ":,:,:,";
    return NDArrays.concat(new NDList(x.get(new NDIndex(before + "0:1")), x,
        x.get(new NDIndex(before + (n - 1) + ":" + n))), axis);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape s = inputShapes[0];
    return new Shape[] {new Shape(s.get(0), s.get(1), 2 * s.get(2), 2 * s.get(3))};
  }
}
