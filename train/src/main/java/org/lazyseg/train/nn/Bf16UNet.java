package org.lazyseg.train.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link UNet} whose forward (and so backward) computes in bf16, as {@code torch.autocast}
 * does on CPU: convolutions on bf16 inputs and weights, activations bf16 between layers, batch
 * norm on bf16 input with fp32 statistics, fp32 logits. A measured spike (issue 24, bench/speed
 * --precision bf16), not used by the product.
 *
 * <p>The network's parameters stay the wrapped UNet's fp32 arrays: the optimizer, the
 * checkpoints and the loss see nothing new. Its forward runs {@code unet_bf16.pt} (written by
 * {@code train/tools/unet_bf16.py}), a TorchScript module without parameters of its own that
 * takes the input and the list of the UNet's parameters (running statistics included, updated
 * in place in training). Why TorchScript: DJL 0.35 aborts the JVM when it creates or casts to
 * a bf16 array, so every bf16 tensor lives and dies inside the module; autograd carries the
 * gradients back through its casts to the fp32 parameters.
 */
public final class Bf16UNet extends AbstractBlock {
  private static final byte VERSION = 1;
  private static final String RESOURCE = "unet_bf16.pt";
  /** DJL's IValueUtils passes the arrays named {@code NAME[]} as one List[Tensor] argument. */
  private static final String LIST_ARGUMENT = "p[]";
  /**
   * One module in training mode (batch statistics, running statistics updated) and one in
   * inference mode, as {@link Upsample2x} keeps one per gradient mode: no call flips the mode
   * of a module another thread is running.
   */
  private static final PtSymbolBlock[] MODULES = new PtSymbolBlock[2];

  private final UNet net;

  public Bf16UNet(UNet net) {
    super(VERSION);
    this.net = addChildBlock("unet", net);
  }

  public UNet net() {
    return net;
  }

  /** The parameters in the order unet_bf16.pt reads them (DJL's order: blocks, then heads). */
  List<Parameter> orderedParameters() {
    List<Parameter> all = new ArrayList<>(net.getParameters().values());
    int blocks = 2 * net.depth() - 1;
    if (all.size() != 12 * blocks + 2 * net.heads().length) {
      throw new IllegalStateException("unexpected UNet parameters: " + all.size());
    }
    return all;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    if (!(x instanceof PtNDArray)) {
      throw new IllegalArgumentException("needs a PyTorch array, got " + x.getClass().getName());
    }
    NDList args = new NDList(x);
    List<NDArray> views = new ArrayList<>();
    try {
      for (Parameter p : orderedParameters()) {
        NDArray value = ps.getValue(p, x.getDevice(), training);
        // A view to carry the list's name, so the parameter array keeps its own; autograd
        // passes the view's gradient to the parameter, in-place statistics reach its storage.
        NDArray view = value.reshape(value.getShape());
        view.setName(LIST_ARGUMENT);
        views.add(view);
        args.add(view);
      }
      // As in Upsample2x: the module records gradients only when the caller does.
      boolean grad = JniUtils.isGradMode();
      // TorchScript's optimizing executor turns batch norm + LeakyReLU into differentiable
      // subgraphs whose backward runs generic element-wise ops (where, gt, mul, type_as): 165
      // ms of a 128/8/16 training step against 46 ms for the eager backward kernels (profiler,
      // bench/experiment speed --trace). Off, the module runs op by op as written and autograd
      // records the eager kernels. The setting is per thread; DJL's own default is on.
      JniUtils.setGraphExecutorOptimize(false);
      try {
        return IValueUtils.forward(module(training), args, grad);
      } finally {
        JniUtils.setGraphExecutorOptimize(true);
      }
    } finally {
      // The autograd graph holds its own references to the views' tensors.
      views.forEach(NDArray::close);
    }
  }

  private static synchronized PtSymbolBlock module(boolean training) {
    int i = training ? 1 : 0;
    if (MODULES[i] == null) {
      PtSymbolBlock m = ScriptModules.load(Bf16UNet.class, RESOURCE);
      if (training) {
        JniUtils.enableTrainingMode(m);
      } else {
        JniUtils.enableInferenceMode(m);
      }
      MODULES[i] = m;
    }
    return MODULES[i];
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    net.initialize(manager, dataType, inputShapes);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return net.getOutputShapes(inputShapes);
  }

  @Override
  public String toString() {
    return "Bf16" + net;
  }
}
