package org.lazyseg.train.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Plain bilinear x2 upsampling of an (N, C, H, W) array with {@code align_corners=False}
 * semantics, exactly as PyTorch's {@code F.interpolate(x, scale_factor=2, mode="bilinear")}:
 * per axis, output 2i is 0.25 x[i-1] + 0.75 x[i] and output 2i+1 is 0.75 x[i] + 0.25 x[i+1],
 * indices clamped at the border.
 *
 * <p>It runs PyTorch's own kernel ({@code aten::upsample_bilinear2d}, forward and backward)
 * through a one-line TorchScript module shipped as a resource ({@code upsample_bilinear2d.pt},
 * written by {@code train/tools/upsample_bilinear2d.py}). Why: DJL's resize and its JNI
 * {@code interpolate} reach only the anti-aliased kernel ({@code _upsample_bilinear2d_aa}),
 * whose backward costs twice the plain one and which is slow on the channels-last data the
 * U-Nets use ({@link UNet#channelsLast}); compositions of DJL operators (nearest doubling and
 * filtering, or slices) cost three to four full-size passes where the kernel costs one
 * (measured with bench/speed and PyTorch's profiler, see BENCHMARKS.md).
 */
public final class Upsample2x extends AbstractBlock {
  private static final String RESOURCE = "upsample_bilinear2d.pt";
  /**
   * One module for calls that record gradients and one for calls that do not: DJL switches
   * a module to train or eval mode on every call, so threads that train and threads that
   * predict at the same time never flip a shared module's mode under each other.
   */
  private static final PtSymbolBlock[] KERNELS = new PtSymbolBlock[2];

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore, NDList inputs, boolean training,
      PairList<String, Object> params) {
    return new NDList(upsample(inputs.singletonOrThrow()));
  }

  /** Upsamples an (N, C, H, W) PyTorch array to (N, C, 2H, 2W), in the input's layout. */
  public static NDArray upsample(NDArray x) {
    Shape s = x.getShape();
    if (s.dimension() != 4) {
      throw new IllegalArgumentException("expected (N, C, H, W), got " + s);
    }
    if (!(x instanceof PtNDArray)) {
      throw new IllegalArgumentException("needs a PyTorch array, got " + x.getClass().getName());
    }
    // DJL runs a module with isTrain = false under a no-grad guard, so pass whether gradients
    // are being collected (the module has no train/eval behaviour of its own). The result
    // belongs to x's manager.
    boolean grad = JniUtils.isGradMode();
    return IValueUtils.forward(kernel(grad), new NDList(x), grad).singletonOrThrow();
  }

  /** The TorchScript module, loaded once per JVM (it holds no tensors, so any device). */
  private static synchronized PtSymbolBlock kernel(boolean grad) {
    int i = grad ? 1 : 0;
    if (KERNELS[i] == null) {
      KERNELS[i] = ScriptModules.load(Upsample2x.class, RESOURCE);
    }
    return KERNELS[i];
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape s = inputShapes[0];
    return new Shape[] {new Shape(s.get(0), s.get(1), 2 * s.get(2), 2 * s.get(3))};
  }
}
