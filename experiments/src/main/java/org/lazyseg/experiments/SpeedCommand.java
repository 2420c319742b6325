package org.lazyseg.experiments;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import org.lazyseg.train.ModelSpec;
import org.lazyseg.train.Task;
import org.lazyseg.train.data.Batch;
import org.lazyseg.train.engine.TrainingRun;
import org.lazyseg.train.loss.MultiTaskLoss;
import org.lazyseg.train.nn.Precision;
import org.lazyseg.train.nn.UNet;
import ai.djl.pytorch.jni.JniUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench/experiment speed}: times our training step and batch inference on the network of
 * ../shared/bench/torch_reference.py with the same arguments, and prints one JSON line with
 * the same keys, so bench/speed can compare the two side by side.
 */
@Command(
    name = "speed",
    mixinStandardHelpOptions = true,
    header = "Time a training step and batch inference of the reference U-Net (random data).",
    description = "Mirrors ../shared/bench/torch_reference.py: same network, arguments and JSON keys.")
final class SpeedCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--size", defaultValue = "256", description = "Input size S (S x S).") int size;
  @Option(names = "--batch", defaultValue = "4", description = "Batch size.") int batch;
  @Option(names = "--width", defaultValue = "32", description = "Base width.") int width;
  @Option(names = "--channels", defaultValue = "1", description = "Input channels.") int channels;
  @Option(names = "--classes", defaultValue = "2", description = "Classes.") int classes;
  @Option(names = "--steps", defaultValue = "12", description = "Timed steps.") int steps;
  @Option(names = "--warmup", defaultValue = "3", description = "Untimed steps first.") int warmup;
  @Option(names = "--threads", defaultValue = "2", description = "Intra-op threads.") int threads;
  @Option(names = "--precision", defaultValue = "fp32", description = "fp32, bf16 (the UNet"
      + " computing in bf16 through TorchScript; fast on a CPU with AVX512-BF16 or AMX) or"
      + " auto (bf16 where the CPU has them).") String precision;
  @Option(names = "--trace", description = "Also write PyTorch profiler traces of 3 more training"
      + " steps and inferences to DIR/train.json and DIR/infer.json (Chrome trace format).")
  java.nio.file.Path trace;

  @Override
  public Integer call() throws java.io.IOException {
    if (trace != null) {
      java.nio.file.Files.createDirectories(trace);
    }
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    Engine.getInstance().setRandomSeed(0);
    ModelSpec modelSpec = ModelSpec.builder().setChannels(channels)
        .addTask(Task.of("segmentation", classes)).optWidth(width).build();
    Random rnd = new Random(0);
    float[] x = new float[batch * channels * size * size];
    int[] y = new int[batch * size * size];
    for (int i = 0; i < x.length; i++) {
      x[i] = rnd.nextFloat();
    }
    for (int i = 0; i < y.length; i++) {
      y[i] = rnd.nextInt(classes);
    }
    Batch b = new Batch(batch, channels, size, x, new int[][] {y});
    List<Double> train = new ArrayList<>();
    List<Double> infer = new ArrayList<>();
    long params;
    double maxProbabilityDifference = Double.NaN;
    Precision computing;
    try {
      computing = Precision.parse(precision);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    try (Model model = Model.newInstance("speed")) {
      UNet net = (UNet) modelSpec.newBlock(computing); // the reference net
      model.setBlock(net);
      DefaultTrainingConfig config = new DefaultTrainingConfig(new MultiTaskLoss(modelSpec.tasks()))
          .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(2e-4f)).build());
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(new Shape(batch, channels, size, size));
        params = net.trainableParameterCount();
        time(() -> TrainingRun.trainStep(trainer, b), train, "train");
        ParameterStore ps = new ParameterStore(model.getNDManager(), false);
        time(() -> {
          try (NDManager tile = model.getNDManager().newSubManager()) {
            NDList out = net.forward(ps,
                new NDList(tile.create(x, new Shape(batch, channels, size, size))), false);
            out.get(0).toFloatArray(); // waits for the result, as torch's synchronous call does
          }
        }, infer, "infer");
        if (computing != Precision.FP32) {
          maxProbabilityDifference = maxProbabilityDifference(net, ps, model.getNDManager(),
              x, new Shape(batch, channels, size, size));
        }
      }
    }
    spec.commandLine().getOut().printf(Locale.ROOT,
        "{\"framework\": \"lazyseg-djl\", \"precision\": \"%s\", \"version\": \"%s\", \"threads\": %d, \"size\": %d, \"batch\": %d, \"width\": %d, \"params\": %d, \"train_step_ms_median\": %.1f, \"infer_batch_ms_median\": %.1f%s}%n",
        computing.label(), Engine.getInstance().getVersion(), threads, size, batch, width, params, median(train), median(infer),
        Double.isNaN(maxProbabilityDifference) ? ""
            : String.format(Locale.ROOT, ", \"max_dprob_vs_fp32\": %.4f", maxProbabilityDifference));
    spec.commandLine().getOut().flush();
    return 0;
  }

  /**
   * The largest difference of a softmax probability between {@code net}'s inference in its
   * precision and in fp32, with the same (trained for the timed steps) weights.
   */
  private static double maxProbabilityDifference(UNet net, ParameterStore ps,
      NDManager manager, float[] x, Shape shape) {
    Precision computing = net.precision();
    try (NDManager scope = manager.newSubManager()) {
      NDArray in = scope.create(x, shape);
      NDArray a = net.forward(ps, new NDList(in), false).get(0).softmax(1);
      net.setPrecision(Precision.FP32);
      NDArray b = net.forward(ps, new NDList(in), false).get(0).softmax(1);
      return a.sub(b).abs().max().getFloat();
    } finally {
      net.setPrecision(computing);
    }
  }

  /** Runs warmup + steps calls, timing the last steps; then 3 traced calls with --trace. */
  private void time(Runnable call, List<Double> millis, String name) {
    for (int i = 0; i < warmup + steps; i++) {
      long t = System.nanoTime();
      call.run();
      if (i >= warmup) {
        millis.add((System.nanoTime() - t) / 1e6);
      }
    }
    if (trace != null) {
      JniUtils.startProfile(false, true, false);
      for (int i = 0; i < 3; i++) {
        call.run();
      }
      JniUtils.stopProfile(trace.resolve(name + ".json").toString());
    }
  }

  private static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    Collections.sort(s);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }
}
