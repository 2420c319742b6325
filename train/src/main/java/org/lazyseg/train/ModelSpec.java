package org.lazyseg.train;

import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;
import org.lazyseg.train.data.Normalization;
import org.lazyseg.train.nn.MultiTaskUNet;
import org.lazyseg.train.nn.Precision;
import org.lazyseg.train.nn.PrecisionSwitch;
import org.lazyseg.train.nn.UNet;

/**
 * Everything needed to rebuild a network before loading its parameters (the BlockFactory
 * idea): input channels, one task per head, U-Net width and depth, and the input
 * normalisation learned from the training images ({@code null} until training computes it),
 * and the network: {@link #UNET} (one decoder, a 1x1 head per task) or
 * {@link #MULTITASK_DECODER} (the lazy-labels paper's multi-task blocks, {@link MultiTaskUNet};
 * tasks segmentation, detection and optionally separation, in that order).
 */
public record ModelSpec(int channels, List<Task> tasks, int width, int depth,
    Normalization normalization, String network) {
  public static final String UNET = "unet";
  public static final String MULTITASK_DECODER = "multitask-decoder";

  /** A plain U-Net spec. */
  public ModelSpec(int channels, List<Task> tasks, int width, int depth,
      Normalization normalization) {
    this(channels, tasks, width, depth, normalization, UNET);
  }

  public ModelSpec {
    tasks = List.copyOf(tasks);
    if (network == null) {
      network = UNET; // model.json written before networks had names
    }
    if (!network.equals(UNET) && !network.equals(MULTITASK_DECODER)) {
      throw new IllegalArgumentException("unknown network '" + network + "' (known: "
          + UNET + ", " + MULTITASK_DECODER + ")");
    }
    if (network.equals(MULTITASK_DECODER) && (tasks.size() < 2 || tasks.size() > 3)) {
      throw new IllegalArgumentException(MULTITASK_DECODER
          + " needs the tasks segmentation, detection and optionally separation, not "
          + tasks.size() + " tasks");
    }
    if (channels <= 0 || tasks.isEmpty() || width <= 0 || depth < 1) {
      throw new IllegalArgumentException("bad model spec: channels " + channels + ", "
          + tasks.size() + " tasks, width " + width + ", depth " + depth);
    }
    if (normalization != null && normalization.channels() != channels) {
      throw new IllegalArgumentException("normalisation has " + normalization.channels()
          + " channels, model " + channels);
    }
  }

  /** The index of the head of the task named {@code name} among {@code tasks}; -1 if none. */
  public static int headOf(List<Task> tasks, String name) {
    for (int t = 0; t < tasks.size(); t++) {
      if (tasks.get(t).name().equals(name)) {
        return t;
      }
    }
    return -1;
  }

  /** The index of this network's head of the task named {@code name}; -1 if none. */
  public int headOf(String name) {
    return headOf(tasks, name);
  }

  /** Classes of each head, in task order. */
  public int[] heads() {
    return tasks.stream().mapToInt(Task::classes).toArray();
  }

  /** Network input sizes must be multiples of this: 2^(depth - 1). */
  public int sizeMultiple() {
    return 1 << (depth - 1);
  }

  public ModelSpec withNormalization(Normalization n) {
    return new ModelSpec(channels, tasks, width, depth, n, network);
  }

  /** A fresh, uninitialised fp32 network for this spec. */
  public Block newBlock() {
    return newBlock(Precision.FP32);
  }

  /** A fresh, uninitialised network for this spec that computes in {@code precision}. */
  public Block newBlock(Precision precision) {
    Block block;
    if (network.equals(MULTITASK_DECODER)) {
      int[] h = heads();
      block = new MultiTaskUNet(width, depth, h[0], h[1], h.length > 2 ? h[2] : 0);
    } else {
      block = UNet.builder().setInputChannels(channels).setHeads(heads())
          .optWidth(width).optDepth(depth).build();
    }
    ((PrecisionSwitch) block).setPrecision(precision);
    return block;
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder {
    private int channels;
    private final List<Task> tasks = new ArrayList<>();
    private int width = 16;
    private int depth = 4;
    private Normalization normalization;
    private String network = UNET;

    public Builder setChannels(int channels) {
      this.channels = channels;
      return this;
    }

    public Builder addTask(Task task) {
      tasks.add(task);
      return this;
    }

    /** Base width; default 16. */
    public Builder optWidth(int width) {
      this.width = width;
      return this;
    }

    /** Resolution levels; default 4 (the reference network). */
    public Builder optDepth(int depth) {
      this.depth = depth;
      return this;
    }

    /** The width of a {@link TrainConfig#profile} preset: 16 for quick/standard, 32 paper. */
    public Builder optProfile(String profile) {
      TrainConfig.profile(profile); // validates the name
      this.width = "paper".equals(profile) ? 32 : 16;
      return this;
    }

    /** Fixed normalisation; by default training computes it from the training images. */
    public Builder optNormalization(Normalization normalization) {
      this.normalization = normalization;
      return this;
    }

    /** {@link #UNET} (default) or {@link #MULTITASK_DECODER}. */
    public Builder optNetwork(String network) {
      this.network = network;
      return this;
    }

    public ModelSpec build() {
      return new ModelSpec(channels, tasks, width, depth, normalization, network);
    }
  }
}
