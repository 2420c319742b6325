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
 * not what the reference network uses. For a factor of 2 the plain kernel is separable and
 * fixed: output pixel 2i takes 0.25 x[i-1] + 0.75 x[i], output 2i+1 takes 0.75 x[i] +
 * 0.25 x[i+1], with indices clamped at the border (replicate). A few element-wise ops per
 * axis, differentiable, no parameters.
 */
public final class Upsample2x extends AbstractBlock {

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore, NDList inputs, boolean training,
      PairList<String, Object> params) {
    return new NDList(upsample(inputs.singletonOrThrow()));
  }

  /** Upsamples an (N, C, H, W) array to (N, C, 2H, 2W). */
  public static NDArray upsample(NDArray x) {
    return upsampleAxis(upsampleAxis(x, 2), 3);
  }

  private static NDArray upsampleAxis(NDArray x, int axis) {
    Shape s = x.getShape();
    long n = s.get(axis);
    NDArray first = x.get(slice(axis, "0:1"));
    NDArray last = x.get(slice(axis, (n - 1) + ":" + n));
    NDArray padded = NDArrays.concat(new NDList(first, x, last), axis);
    NDArray before = padded.get(slice(axis, "0:" + n));
    NDArray centre = padded.get(slice(axis, "1:" + (n + 1)));
    NDArray after = padded.get(slice(axis, "2:" + (n + 2)));
    NDArray even = before.mul(0.25f).add(centre.mul(0.75f));
    NDArray odd = centre.mul(0.75f).add(after.mul(0.25f));
    // Interleave: stack on a new axis right after `axis`, then merge the two.
    NDArray stacked = NDArrays.stack(new NDList(even, odd), axis + 1);
    long[] dims = s.getShape().clone();
    dims[axis] = 2 * n;
    return stacked.reshape(new Shape(dims));
  }

  private static NDIndex slice(int axis, String range) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < axis; i++) {
      b.append(":,");
    }
    return new NDIndex(b.append(range).toString());
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape s = inputShapes[0];
    return new Shape[] {new Shape(s.get(0), s.get(1), 2 * s.get(2), 2 * s.get(3))};
  }
}
