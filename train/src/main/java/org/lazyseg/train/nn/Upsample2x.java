package org.lazyseg.train.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Plain bilinear x2 upsampling of an (N, C, H, W) array with {@code align_corners=False}
 * semantics, exactly as PyTorch's {@code F.interpolate(x, scale_factor=2, mode="bilinear")}.
 *
 * <p>Why not DJL's resize: on PyTorch it calls the anti-aliased kernel, which is slower and
 * not what the reference network uses. Per axis, output 2i is 0.25 x[i-1] + 0.75 x[i] and
 * output 2i+1 is 0.75 x[i] + 0.25 x[i+1], indices clamped at the border. That is the same as
 * nearest-neighbour x2 followed by the filter [0.25, 0.5, 0.25] with a replicated border. We
 * filter with zero padding instead (one depthwise 3x3 convolution, no slicing) and divide the
 * border rows and columns by the filter weight that fell inside (0.75): at the border the
 * missing tap would have repeated the pixel beside it, so the normalised value is exactly the
 * replicated one. No slices means no slice-backward, whose full-size zero buffers made the
 * padded variant cost about 10% of a training step.
 */
public final class Upsample2x extends AbstractBlock {
  /** Per-axis smoothing taps applied after nearest-neighbour doubling. */
  private static final float[] TAPS = {0.25f, 0.5f, 0.25f};

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
    NDArray nearest = x.reshape(n, c, h, 1, w, 1).broadcast(new Shape(n, c, h, 2, w, 2))
        .reshape(n, c, 2 * h, 2 * w);
    NDArray smoothed = x.getNDArrayInternal().convolution(nearest, filters(x, (int) c), null,
        new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), (int) c).singletonOrThrow();
    return smoothed.mul(borderCorrection(x, (int) (2 * h), (int) (2 * w)));
  }

  /** Depthwise weights (C, 1, 3, 3): the outer product of {@link #TAPS} for every channel. */
  private static NDArray filters(NDArray like, int channels) {
    float[] weights = new float[channels * 9];
    for (int ch = 0; ch < channels; ch++) {
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
          weights[ch * 9 + i * 3 + j] = TAPS[i] * TAPS[j];
        }
      }
    }
    return like.getManager().create(weights, new Shape(channels, 1, 3, 3))
        .toDevice(like.getDevice(), false);
  }

  /** (1, 1, H, W), H, W >= 2: 1 / (weight of the taps inside the image), row times column. */
  private static NDArray borderCorrection(NDArray like, int height, int width) {
    float[] map = new float[height * width];
    for (int y = 0; y < height; y++) {
      float row = y == 0 || y == height - 1 ? 0.75f : 1f;
      for (int x = 0; x < width; x++) {
        float col = x == 0 || x == width - 1 ? 0.75f : 1f;
        map[y * width + x] = 1f / (row * col);
      }
    }
    return like.getManager().create(map, new Shape(1, 1, height, width))
        .toDevice(like.getDevice(), false);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape s = inputShapes[0];
    return new Shape[] {new Shape(s.get(0), s.get(1), 2 * s.get(2), 2 * s.get(3))};
  }
}
