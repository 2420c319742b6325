package org.lazyseg.train.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.util.Pair;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam whose moment estimates and step count can be saved with a checkpoint and restored, so
 * that a resumed run takes the very steps an uninterrupted one would have taken. Written here
 * because DJL's {@code Adam} keeps them private: with it every resume restarted the moments
 * from zero, which shook the weights and made resumed runs differ from uninterrupted ones.
 * The update is DJL's own: the same native {@code adamUpdate} with the same arguments
 * (learning-rate bias correction, epsilon, no weight decay), so steps are bit for bit those of
 * {@code Optimizer.adam()} with the same tracker.
 *
 * <p>The file holds one array per moment, named by the parameter's place and name in the
 * block (DJL's parameter ids are random per process), and the step count.
 */
final class ResumableAdam extends Optimizer implements AutoCloseable {
  private static final String MEAN = "mean/";
  private static final String VARIANCE = "variance/";
  private static final String UPDATES = "updates";
  private static final float BETA1 = 0.9f;
  private static final float BETA2 = 0.999f;
  private static final float EPSILON = 1e-8f;

  private final ParameterTracker learningRate;
  private final Map<String, NDArray> means = new HashMap<>();
  private final Map<String, NDArray> variances = new HashMap<>();
  /** Updates per parameter id, and their maximum: Adam's t, as DJL's Optimizer counts it. */
  private final Map<String, Integer> counts = new HashMap<>();
  private int updates;

  ResumableAdam(ParameterTracker learningRate) {
    super(new Builder());
    this.learningRate = learningRate;
  }

  /** The number of updates so far (Adam's t). */
  int updates() {
    return updates;
  }

  @Override
  public void update(String parameterId, NDArray weight, NDArray grad) {
    int count = counts.merge(parameterId, 1, Integer::sum);
    updates = Math.max(updates, count);
    int t = updates;
    double coef1 = 1.0 - Math.pow(BETA1, t);
    double coef2 = 1.0 - Math.pow(BETA2, t);
    float rate = learningRate.getNewValue(parameterId, t);
    // The step's learning rate with Adam's bias correction, computed as DJL computes it.
    float biasCorrected = (float) (rate * Math.sqrt(coef2) / coef1);
    float weightDecay = getWeightDecay();
    if (!Float.isFinite(biasCorrected) || !Float.isFinite(weightDecay)) {
      throw new IllegalArgumentException("learning rate or weight decay is not a finite number: "
          + biasCorrected + ", " + weightDecay);
    }
    NDList inputs = new NDList(weight, grad,
        means.computeIfAbsent(parameterId, k -> weight.zerosLike()),
        variances.computeIfAbsent(parameterId, k -> weight.zerosLike()));
    weight.getNDArrayInternal().adamUpdate(inputs, new NDList(weight), rate, biasCorrected,
        weightDecay, rescaleGrad, clipGrad, BETA1, BETA2, EPSILON, true, false);
  }

  /** Writes the moments of {@code block}'s parameters and the step count to {@code file}. */
  void save(Block block, Path file) throws IOException {
    NDList list = new NDList();
    try (NDManager scratch = NDManager.newBaseManager()) {
      for (Map.Entry<String, Parameter> e : keys(block).entrySet()) {
        String id = e.getValue().getId();
        if (means.containsKey(id)) {
          list.add(named(means.get(id), MEAN + e.getKey()));
          list.add(named(variances.get(id), VARIANCE + e.getKey()));
        }
      }
      list.add(named(scratch.create(new int[] {updates}), UPDATES));
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
        list.encode(out);
      }
    }
  }

  /**
   * Reads what {@link #save} wrote for a block of the same network; the moments then live
   * with their parameters. Nothing changes when the file does not match.
   *
   * @throws IOException naming the file when it cannot be read or holds moments of another
   *     network
   */
  void restore(Block block, Path file) throws IOException {
    try (NDManager scratch = NDManager.newBaseManager()) {
      NDList list;
      try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
        list = NDList.decode(scratch, in);
      } catch (RuntimeException e) {
        throw new IOException(file + ": not Adam's state (" + e + ")", e);
      }
      Map<String, NDArray> byName = new HashMap<>();
      for (NDArray a : list) {
        byName.put(a.getName(), a);
      }
      NDArray count = byName.get(UPDATES);
      if (count == null) {
        throw new IOException(file + ": not Adam's state (no step count)");
      }
      Map<String, Parameter> parameters = keys(block);
      Map<String, NDArray> newMeans = new HashMap<>();
      Map<String, NDArray> newVariances = new HashMap<>();
      for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
        NDArray m = byName.get(MEAN + e.getKey());
        NDArray v = byName.get(VARIANCE + e.getKey());
        NDArray w = e.getValue().getArray();
        if (m == null || v == null || !m.getShape().equals(w.getShape())
            || !v.getShape().equals(w.getShape())) {
          throw new IOException(file + ": no moments of shape " + w.getShape() + " for "
              + e.getKey() + " (saved for another network)");
        }
        newMeans.put(e.getValue().getId(), m);
        newVariances.put(e.getValue().getId(), v);
      }
      int t = count.toIntArray()[0];
      close();
      for (Parameter p : parameters.values()) {
        String id = p.getId();
        NDManager owner = p.getArray().getManager();
        newMeans.get(id).attach(owner);   // kept past the scratch manager, as zerosLike() would
        newVariances.get(id).attach(owner);
        means.put(id, newMeans.get(id));
        variances.put(id, newVariances.get(id));
        counts.put(id, t);
      }
      updates = t;
    }
  }

  /** Releases the moments (a round that restarts Adam drops the old ones). */
  @Override
  public void close() {
    means.values().forEach(NDArray::close);
    variances.values().forEach(NDArray::close);
    means.clear();
    variances.clear();
  }

  /** The block's trainable parameters by place and name: "3/encoder.conv.weight". */
  private static Map<String, Parameter> keys(Block block) {
    Map<String, Parameter> keys = new LinkedHashMap<>();
    int i = 0;
    for (Pair<String, Parameter> p : block.getParameters()) {
      if (p.getValue().requiresGradient()) {
        keys.put(i + "/" + p.getKey(), p.getValue());
      }
      i++;
    }
    return keys;
  }

  private static NDArray named(NDArray a, String name) {
    a.setName(name);
    return a;
  }

  /** The base class wants a builder; Adam's own settings are the constants above. */
  private static final class Builder extends OptimizerBuilder<Builder> {
    @Override
    protected Builder self() {
      return this;
    }
  }
}
