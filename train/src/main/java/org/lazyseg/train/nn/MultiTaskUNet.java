package org.lazyseg.train.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * The multi-task network of the lazy-labels paper (docs/methods.md, Multi-task): one contracting
 * path, and per expanding level a multi-task block in which
 * <ul>
 *   <li>detection x and segmentation z go through the SAME block with the same skip c:
 *       {@code x' = F_W(x, c)}, {@code z'' = F_W(z, c)} (so the cheap partial masks train the
 *       weights the segmentation uses);
 *   <li>segmentation adds a residual sub-block: {@code z' = z'' + F_W2(z'')} (what the strong
 *       masks add beyond detection);
 *   <li>separation y has its own blocks, whose skips come from the segmentation path:
 *       {@code y' = G_W3(y, z')}.
 * </ul>
 * Blocks are {@link UNet}'s (two times 3x3 conv, batch norm, LeakyReLU), upsampling is
 * {@link Upsample2x}, pooling 2x2 max. Outputs, in this order: segmentation, detection, and
 * separation when it has classes. A depth of 6 is the paper's for 256 x 256 crops; 4 is our
 * CPU default. {@link #setPrecision} switches the arithmetic between fp32 and bf16
 * ({@link Bf16Forward}).
 */
public final class MultiTaskUNet extends PrecisionSwitch {
  private static final byte VERSION = 1;

  private final int width;
  private final int depth;
  private final int[] heads;
  private final List<Block> down = new ArrayList<>();
  private final List<Block> shared = new ArrayList<>();
  private final List<Block> residual = new ArrayList<>();
  private final List<Block> separation = new ArrayList<>();
  private final List<Block> headBlocks = new ArrayList<>();

  /**
   * @param separationClasses classes of the separation head, 0 for a network without it
   */
  public MultiTaskUNet(int width, int depth, int segmentationClasses, int detectionClasses,
      int separationClasses) {
    super(VERSION);
    if (width <= 0 || depth < 2 || segmentationClasses < 2 || detectionClasses < 2
        || separationClasses == 1 || separationClasses < 0) {
      throw new IllegalArgumentException("bad multi-task network: width " + width + ", depth "
          + depth + ", classes " + segmentationClasses + "/" + detectionClasses + "/"
          + separationClasses);
    }
    this.width = width;
    this.depth = depth;
    this.heads = separationClasses > 0
        ? new int[] {segmentationClasses, detectionClasses, separationClasses}
        : new int[] {segmentationClasses, detectionClasses};
    for (int i = 0; i < depth; i++) {
      down.add(addChildBlock("down" + i, UNet.twoConvBlock(width << i)));
    }
    for (int i = depth - 2; i >= 0; i--) {
      shared.add(addChildBlock("shared" + i, UNet.twoConvBlock(width << i)));
      residual.add(addChildBlock("residual" + i, UNet.twoConvBlock(width << i)));
      if (separationClasses > 0) {
        separation.add(addChildBlock("separation" + i, UNet.twoConvBlock(width << i)));
      }
    }
    for (int t = 0; t < heads.length; t++) {
      headBlocks.add(addChildBlock("head" + t, Conv2d.builder()
          .setKernelShape(new Shape(1, 1)).setFilters(heads[t]).build()));
    }
  }

  public int[] heads() {
    return heads.clone();
  }

  /**
   * multitask_bf16.pt reads 12 per two-conv block (down; per level shared, residual,
   * separation) and 2 per head.
   */
  @Override
  int expectedParameters() {
    return 12 * (depth + (depth - 1) * (separation.isEmpty() ? 2 : 3)) + 2 * heads.length;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    if (precision() == Precision.BF16) {
      return Bf16Forward.forward(Bf16Forward.MULTITASK, ps, inputs.singletonOrThrow(),
          orderedParameters(), training);
    }
    NDArray[] skips = UNet.encode(down, ps, inputs.singletonOrThrow(), training, params);
    NDArray x = skips[depth - 1];
    NDArray detection = x, segmentation = x, separate = x;
    for (int k = 0; k < depth - 1; k++) {
      NDArray c = skips[depth - 2 - k];
      detection = run(shared.get(k), ps, join(detection, c), training, params);
      NDArray z = run(shared.get(k), ps, join(segmentation, c), training, params);
      segmentation = z.add(run(residual.get(k), ps, z, training, params));
      if (!separation.isEmpty()) {
        separate = run(separation.get(k), ps, join(separate, segmentation), training, params);
      }
    }
    NDList out = new NDList(heads.length);
    out.add(run(headBlocks.get(0), ps, segmentation, training, params));
    out.add(run(headBlocks.get(1), ps, detection, training, params));
    if (heads.length > 2) {
      out.add(run(headBlocks.get(2), ps, separate, training, params));
    }
    return out;
  }

  /** [upsampled path, skip] along channels. */
  private static NDArray join(NDArray path, NDArray skip) {
    return NDArrays.concat(new NDList(Upsample2x.upsample(path), skip), 1);
  }

  private static NDArray run(Block b, ParameterStore ps, NDArray x, boolean training,
      PairList<String, Object> params) {
    return b.forward(ps, new NDList(x), training, params).singletonOrThrow();
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape in = inputShapes[0];
    long n = in.get(0), h = in.get(2), w = in.get(3);
    long channels = UNet.initializeEncoder(down, width, manager, dataType, in);
    for (int k = 0; k < depth - 1; k++) {
      int level = depth - 2 - k;
      long out = width << level;
      Shape joined = new Shape(n, channels + out, h >> level, w >> level);
      shared.get(k).initialize(manager, dataType, joined);
      residual.get(k).initialize(manager, dataType, new Shape(n, out, h >> level, w >> level));
      if (!separation.isEmpty()) {
        separation.get(k).initialize(manager, dataType, joined);
      }
      channels = out;
    }
    for (Block head : headBlocks) {
      head.initialize(manager, dataType, new Shape(n, channels, h, w));
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return UNet.outputShapes(inputShapes[0], heads);
  }

  @Override
  public String toString() {
    return "MultiTaskUNet[width=" + width + ", depth=" + depth + ", heads="
        + java.util.Arrays.toString(heads) + ", " + precision().label() + "]";
  }
}
