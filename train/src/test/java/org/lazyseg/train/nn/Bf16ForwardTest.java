package org.lazyseg.train.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lazyseg.train.Task;
import org.lazyseg.train.loss.MultiTaskLoss;

/**
 * The networks computing in bf16 against themselves in fp32, same weights. Runs on every CPU:
 * where it has no bf16 instructions PyTorch emulates them (slower, same rounding).
 */
class Bf16ForwardTest {
  /**
   * Largest difference of a softmax probability, bf16 vs fp32, at inference (running
   * statistics): measured 0.006 on this test's network.
   */
  static final float INFERENCE_TOLERANCE = 0.03f;
  /**
   * The same in training mode (batch statistics of a 2-image batch, which bf16 rounding moves
   * more): measured 0.04. PyTorch's own autocast differs from fp32 by 0.02 to 0.07 on such
   * freshly initialised networks (train/tools/unet_bf16.py's module equals it exactly there).
   */
  static final float TRAINING_TOLERANCE = 0.1f;
  /**
   * |g_bf16 - g_fp32| / |g_fp32| over all gradients: measured 0.22; PyTorch's autocast gives
   * 0.15 to 0.27 on comparable networks (bf16 keeps 8 bits of mantissa, and batch norm's
   * backward subtracts nearly equal terms). Gradients unrelated to fp32's, as of parameters
   * read out of order, would give about 1.4.
   */
  static final double GRADIENT_TOLERANCE = 0.4;

  @BeforeEach
  void seed() {
    Engine.getInstance().setRandomSeed(24);
  }

  private static UNet smallNet() {
    return UNet.builder().setInputChannels(3).setHeads(2, 3).optWidth(8).optDepth(3).build();
  }

  /** Softmax over the class axis of each head, flattened. */
  private static float[] probabilities(NDList logits) {
    float[][] heads = new float[logits.size()][];
    int n = 0;
    for (int t = 0; t < logits.size(); t++) {
      heads[t] = logits.get(t).softmax(1).toFloatArray();
      n += heads[t].length;
    }
    float[] all = new float[n];
    int at = 0;
    for (float[] h : heads) {
      System.arraycopy(h, 0, all, at, h.length);
      at += h.length;
    }
    return all;
  }

  private static float maxAbsDiff(float[] a, float[] b) {
    assertThat(a).hasSameSizeAs(b);
    float d = 0;
    for (int i = 0; i < a.length; i++) {
      d = Math.max(d, Math.abs(a[i] - b[i]));
    }
    return d;
  }

  private static float[] running(Block net) {
    int n = 0;
    for (Parameter p : net.getParameters().values()) {
      if (!p.requiresGradient()) {
        n += (int) p.getArray().size();
      }
    }
    float[] all = new float[n];
    int at = 0;
    for (Parameter p : net.getParameters().values()) {
      if (!p.requiresGradient()) {
        float[] v = p.getArray().toFloatArray();
        System.arraycopy(v, 0, all, at, v.length);
        at += v.length;
      }
    }
    return all;
  }

  /** {@code block}'s forward computed in bf16; the block computes in fp32 again after it. */
  private static NDList bf16(Block block, ParameterStore ps, NDArray x, boolean training) {
    PrecisionSwitch s = (PrecisionSwitch) block;
    s.setPrecision(Precision.BF16);
    try {
      return block.forward(ps, new NDList(x), training);
    } finally {
      s.setPrecision(Precision.FP32);
    }
  }

  @Test
  void forwardMatchesTheFp32NetworkAndUpdatesTheRunningStatistics() {
    UNet net = smallNet();
    Shape in = new Shape(2, 3, 32, 48);
    try (NDManager m = NDManager.newBaseManager()) {
      net.initialize(m, DataType.FLOAT32, in);
      ParameterStore ps = new ParameterStore(m, false);
      NDArray x = m.randomUniform(0, 1, in);
      // Training-mode forwards (batch statistics) give the running statistics values other
      // than their initial 0 and 1, once with each network from the same start.
      float[] before = running(net);
      float[] trainFp32 = probabilities(net.forward(ps, new NDList(x), true));
      float[] afterFp32 = running(net);
      restore(net, before);
      float[] trainBf16 = probabilities(bf16(net, ps, x, true));
      float[] afterBf16 = running(net);
      assertThat(maxAbsDiff(afterBf16, before)).as("running statistics updated").isGreaterThan(0.01f);
      float statDiff = maxAbsDiff(afterBf16, afterFp32);
      float trainDiff = maxAbsDiff(trainBf16, trainFp32);

      NDList fp32Out = net.forward(ps, new NDList(x), false);
      NDList bf16Out = bf16(net, ps, x, false);
      assertThat(bf16Out).hasSize(2);
      for (int t = 0; t < 2; t++) {
        assertThat(bf16Out.get(t).getDataType()).isEqualTo(DataType.FLOAT32);
        assertThat(bf16Out.get(t).getShape()).isEqualTo(fp32Out.get(t).getShape());
      }
      float inferDiff = maxAbsDiff(probabilities(bf16Out), probabilities(fp32Out));
      System.out.printf("bf16 vs fp32: max |dp| inference %.4f, training-mode %.4f,"
          + " running statistics %.4f%n", inferDiff, trainDiff, statDiff);
      assertThat(inferDiff).isLessThan(INFERENCE_TOLERANCE);
      assertThat(trainDiff).isLessThan(TRAINING_TOLERANCE);
      assertThat(statDiff).isLessThan(0.05f);
    }
  }

  private static void restore(Block net, float[] values) {
    int at = 0;
    for (Parameter p : net.getParameters().values()) {
      if (!p.requiresGradient()) {
        NDArray a = p.getArray();
        int n = (int) a.size();
        float[] v = new float[n];
        System.arraycopy(values, at, v, 0, n);
        a.set(v);
        at += n;
      }
    }
  }

  @Test
  void theMultiTaskNetworkMatchesItsFp32Forward() {
    for (int separation : new int[] {0, 2}) {
      MultiTaskUNet net = new MultiTaskUNet(8, 3, 2, 3, separation);
      Shape in = new Shape(2, 1, 32, 32);
      try (NDManager m = NDManager.newBaseManager()) {
        net.initialize(m, DataType.FLOAT32, in);
        ParameterStore ps = new ParameterStore(m, false);
        NDArray x = m.randomUniform(0, 1, in);
        net.forward(ps, new NDList(x), true); // running statistics away from 0 and 1
        NDList fp32Out = net.forward(ps, new NDList(x), false);
        NDList bf16Out = bf16(net, ps, x, false);
        assertThat(bf16Out).hasSize(separation > 0 ? 3 : 2);
        for (int t = 0; t < bf16Out.size(); t++) {
          assertThat(bf16Out.get(t).getShape()).isEqualTo(fp32Out.get(t).getShape());
        }
        float diff = maxAbsDiff(probabilities(bf16Out), probabilities(fp32Out));
        System.out.printf("multi-task (separation %d) bf16 vs fp32: max |dp| %.4f%n",
            separation, diff);
        assertThat(diff).isLessThan(INFERENCE_TOLERANCE);
        // The heads read different paths: swapping two in the module would show.
        assertThat(maxAbsDiff(probabilities(new NDList(bf16Out.get(0))),
            probabilities(new NDList(fp32Out.get(0))))).isLessThan(INFERENCE_TOLERANCE);
      }
    }
  }

  @Test
  void aTrainingStepChangesTheFp32ParametersAndKeepsThemFp32() {
    UNet net = smallNet();
    Shape in = new Shape(2, 3, 32, 32);
    List<Task> tasks = List.of(Task.of("a", 2), Task.of("b", 3));
    try (Model model = Model.newInstance("bf16")) {
      model.setBlock(net);
      DefaultTrainingConfig config = new DefaultTrainingConfig(new MultiTaskLoss(tasks))
          .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build());
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(in);
        NDManager m = trainer.getManager();
        List<Parameter> params = net.orderedParameters();
        float[][] before = new float[params.size()][];
        for (int i = 0; i < params.size(); i++) {
          before[i] = params.get(i).getArray().toFloatArray();
        }
        NDArray x = m.randomUniform(0, 1, in);
        NDArray ya = m.randomInteger(0, 2, new Shape(2, 32, 32), DataType.INT32);
        NDArray yb = m.randomInteger(0, 3, new Shape(2, 32, 32), DataType.INT32);
        // The fp32 network's gradients with the same weights, for comparison.
        try (GradientCollector c = trainer.newGradientCollector()) {
          NDList out = net.forward(new ParameterStore(m, false), new NDList(x), true);
          c.backward(trainer.getLoss().evaluate(new NDList(ya, yb), out));
        }
        double fp32Norm = 0;
        float[][] fp32Grad = new float[params.size()][];
        for (int i = 0; i < params.size(); i++) {
          if (params.get(i).requiresGradient()) {
            NDArray g = params.get(i).getArray().getGradient();
            fp32Grad[i] = g.toFloatArray();
            g.subi(g); // gradients accumulate: start the bf16 backward from zero
          }
        }
        net.setPrecision(Precision.BF16);
        try (GradientCollector c = trainer.newGradientCollector()) {
          NDList out = trainer.forward(new NDList(x));
          NDArray loss = trainer.getLoss().evaluate(new NDList(ya, yb), out);
          c.backward(loss);
        }
        int withGradient = 0;
        double diffNorm = 0;
        for (int i = 0; i < params.size(); i++) {
          Parameter p = params.get(i);
          if (p.requiresGradient()) {
            NDArray g = p.getArray().getGradient();
            assertThat(g.getDataType()).as(p.getName()).isEqualTo(DataType.FLOAT32);
            float[] v = g.toFloatArray();
            for (int k = 0; k < v.length; k++) {
              diffNorm += (v[k] - fp32Grad[i][k]) * (double) (v[k] - fp32Grad[i][k]);
              fp32Norm += fp32Grad[i][k] * (double) fp32Grad[i][k];
            }
            assertThat(maxAbsDiff(v, new float[v.length])).as(p.getName()).isGreaterThan(0f);
            withGradient++;
          }
        }
        assertThat(withGradient).isEqualTo(2 * 4 * 5 + 2 * 2);
        double relative = Math.sqrt(diffNorm / fp32Norm);
        System.out.printf("bf16 vs fp32 gradients: |g16 - g32| / |g32| = %.4f%n", relative);
        assertThat(relative).isLessThan(GRADIENT_TOLERANCE);
        trainer.step();
        for (int i = 0; i < params.size(); i++) {
          NDArray a = params.get(i).getArray();
          assertThat(a.getDataType()).isEqualTo(DataType.FLOAT32);
          assertThat(maxAbsDiff(a.toFloatArray(), before[i])).as(params.get(i).getName())
              .isGreaterThan(0f);
        }
      }
    }
  }
}
