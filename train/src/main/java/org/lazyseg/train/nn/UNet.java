package org.lazyseg.train.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A U-Net with one 1x1 convolution head per task.
 *
 * <p>Level i (0 = full resolution) has width {@code w * 2^i}; each level is two times
 * (3x3 conv, padding 1 -> batch norm -> LeakyReLU 0.01). Going down: 2x2 max pooling.
 * Going up: exact bilinear x2 upsampling ({@link Upsample2x}), concatenation
 * [upsampled, skip] in that channel order, then the same two-conv block. With one head of
 * K classes and depth 4 this is exactly {@code bench/torch_reference.py}'s network.
 *
 * <p>Input (N, C, H, W) with H and W divisible by 2^(depth-1). Output: one logits array
 * (N, K_t, H, W) per head, in head order.
 *
 * <p>{@link #setPrecision} switches the arithmetic between fp32 and bf16
 * ({@link Bf16Forward}); the parameters stay the same fp32 arrays.
 *
 * <pre>{@code
 * UNet net = UNet.builder().setInputChannels(1).setHeads(2).optWidth(32).build();
 * }</pre>
 */
public final class UNet extends PrecisionSwitch {
  private static final byte VERSION = 1;
  private static final float LEAKY_SLOPE = 0.01f;

  private final int inputChannels;
  private final int width;
  private final int depth;
  private final int[] heads;
  private final List<Block> down = new ArrayList<>();
  private final List<Block> up = new ArrayList<>();
  private final List<Block> headBlocks = new ArrayList<>();

  private UNet(Builder b) {
    super(VERSION);
    this.inputChannels = b.inputChannels;
    this.width = b.width;
    this.depth = b.depth;
    this.heads = b.heads.clone();
    for (int i = 0; i < depth; i++) {
      down.add(addChildBlock("down" + i, twoConvBlock(width << i)));
    }
    for (int i = depth - 2; i >= 0; i--) {
      up.add(addChildBlock("up" + i, twoConvBlock(width << i)));
    }
    for (int t = 0; t < heads.length; t++) {
      headBlocks.add(addChildBlock("head" + t, Conv2d.builder()
          .setKernelShape(new Shape(1, 1)).setFilters(heads[t]).build()));
    }
  }

  /** (3x3 conv, padding 1 -> batch norm -> LeakyReLU 0.01) twice. */
  static Block twoConvBlock(int filters) {
    SequentialBlock block = new SequentialBlock();
    for (int k = 0; k < 2; k++) {
      block.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
              .setFilters(filters).build())
          // DJL momentum 0.9 keeps 90% of the running value: PyTorch's momentum 0.1.
          .add(BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build())
          .add(Activation.leakyReluBlock(LEAKY_SLOPE));
    }
    return block;
  }

  public static Builder builder() {
    return new Builder();
  }

  public int depth() { return depth; }

  public int[] heads() { return heads.clone(); }

  /** Input sizes must be multiples of this. */
  public int sizeMultiple() { return 1 << (depth - 1); }

  /** Number of trainable values (batch-norm running statistics are not trainable). */
  public long trainableParameterCount() {
    long n = 0;
    for (Parameter p : getParameters().values()) {
      if (p.requiresGradient()) {
        n += p.getArray().size();
      }
    }
    return n;
  }

  /** unet_bf16.pt reads 12 per two-conv block (down, then up) and 2 per head. */
  @Override
  int expectedParameters() {
    return 12 * (2 * depth - 1) + 2 * heads.length;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    if (precision() == Precision.BF16) {
      return Bf16Forward.forward(Bf16Forward.UNET, ps, inputs.singletonOrThrow(),
          orderedParameters(), training);
    }
    NDArray[] skips = encode(down, ps, inputs.singletonOrThrow(), training, params);
    NDArray x = skips[depth - 1];
    for (int k = 0; k < depth - 1; k++) {
      int level = depth - 2 - k;
      NDArray merged = NDArrays.concat(new NDList(Upsample2x.upsample(x), skips[level]), 1);
      x = up.get(k).forward(ps, new NDList(merged), training, params).singletonOrThrow();
    }
    NDList out = new NDList(heads.length);
    for (Block head : headBlocks) {
      out.add(head.forward(ps, new NDList(x), training, params).singletonOrThrow());
    }
    return out;
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape in = inputShapes[0];
    long n = in.get(0), h = in.get(2), w = in.get(3);
    long channels = initializeEncoder(down, width, manager, dataType, in);
    for (int k = 0; k < depth - 1; k++) {
      int level = depth - 2 - k;
      long merged = channels + (width << level);
      up.get(k).initialize(manager, dataType, new Shape(n, merged, h >> level, w >> level));
      channels = width << level;
    }
    for (Block head : headBlocks) {
      head.initialize(manager, dataType, new Shape(n, channels, h, w));
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return outputShapes(inputShapes[0], heads);
  }

  /** The contracting path: level i's features (the skips), the last one the bottleneck. */
  static NDArray[] encode(List<Block> down, ParameterStore ps, NDArray x, boolean training,
      PairList<String, Object> params) {
    NDArray[] skips = new NDArray[down.size()];
    x = channelsLast(x);
    for (int i = 0; i < skips.length; i++) {
      if (i > 0) {
        x = Pool.maxPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
      }
      x = down.get(i).forward(ps, new NDList(x), training, params).singletonOrThrow();
      skips[i] = x;
    }
    return skips;
  }

  /**
   * The same (N, C, H, W) array with its values stored channel-fastest (PyTorch's
   * channels-last layout): a view when C = 1, else one copy. Why: oneDNN convolves NHWC data
   * without the per-call reorders to its blocked layout and back that NCHW data costs, and
   * every later layer (batch norm, activation, pooling, upsampling, concatenation, the next
   * convolution) keeps the layout of its input, so the whole network runs channels-last.
   * Shapes and values are unchanged; only strides differ.
   */
  static NDArray channelsLast(NDArray x) {
    Shape s = x.getShape();
    long n = s.get(0), c = s.get(1), h = s.get(2), w = s.get(3);
    NDArray nhwc = c == 1 ? x.reshape(n, h, w, 1) : x.transpose(0, 2, 3, 1).reshape(n, h, w, c);
    return nhwc.transpose(0, 3, 1, 2);
  }

  /** Initialises the contracting path for input {@code in}; returns the bottleneck's width. */
  static long initializeEncoder(List<Block> down, int width, NDManager manager,
      DataType dataType, Shape in) {
    long n = in.get(0), h = in.get(2), w = in.get(3);
    long channels = in.get(1);
    for (int i = 0; i < down.size(); i++) {
      down.get(i).initialize(manager, dataType, new Shape(n, channels, h >> i, w >> i));
      channels = width << i;
    }
    return channels;
  }

  /** One (N, K_t, H, W) logits shape per head. */
  static Shape[] outputShapes(Shape in, int[] heads) {
    Shape[] out = new Shape[heads.length];
    for (int t = 0; t < heads.length; t++) {
      out[t] = new Shape(in.get(0), heads[t], in.get(2), in.get(3));
    }
    return out;
  }

  @Override
  public String toString() {
    return "UNet[in=" + inputChannels + ", width=" + width + ", depth=" + depth
        + ", heads=" + Arrays.toString(heads) + ", " + precision().label() + "]";
  }

  /** DJL-style builder: {@code set*} for required values, {@code opt*} for optional ones. */
  public static final class Builder {
    private int inputChannels;
    private int[] heads;
    private int width = 32;
    private int depth = 4;

    public Builder setInputChannels(int channels) {
      this.inputChannels = channels;
      return this;
    }

    /** Number of classes of each head, one head per task. */
    public Builder setHeads(int... classesPerHead) {
      this.heads = classesPerHead.clone();
      return this;
    }

    /** Width of the first level; level i has width * 2^i. Default 32. */
    public Builder optWidth(int width) {
      this.width = width;
      return this;
    }

    /** Number of resolution levels. Default 4. */
    public Builder optDepth(int depth) {
      this.depth = depth;
      return this;
    }

    private void validate() {
      if (inputChannels <= 0) {
        throw new IllegalArgumentException("input channels must be set and positive");
      }
      if (heads == null || heads.length == 0) {
        throw new IllegalArgumentException("at least one head is needed");
      }
      for (int k : heads) {
        if (k < 2) {
          throw new IllegalArgumentException("a head needs at least 2 classes: " + k);
        }
      }
      if (width <= 0 || depth < 1 || depth > 8) {
        throw new IllegalArgumentException("bad width " + width + " or depth " + depth);
      }
    }

    public UNet build() {
      validate();
      return new UNet(this);
    }
  }
}
