package org.lazyseg.train.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The bf16 forward of {@link UNet} and {@link MultiTaskUNet}: the network's own fp32
 * parameters passed, as one list, to a TorchScript module that computes as
 * {@code torch.autocast} does on CPU (convolutions on bf16 inputs and weights, activations
 * bf16 between layers, batch norm on bf16 input with fp32 statistics, fp32 logits). The
 * modules ({@code unet_bf16.pt}, {@code multitask_bf16.pt}, written by
 * {@code train/tools/unet_bf16.py}) hold no tensors, so one file serves every width, depth,
 * channel and class count, and the optimizer, loss and checkpoints see only fp32 arrays;
 * autograd carries the gradients back through the casts. Running statistics are updated in
 * place in training.
 *
 * <p>Why TorchScript: DJL 0.35 and 0.36 abort the JVM when they create or cast to a bf16
 * array, so every bf16 tensor lives and dies inside the module.
 */
final class Bf16Forward {
  /** DJL's IValueUtils passes the arrays named {@code NAME[]} as one List[Tensor] argument. */
  private static final String LIST_ARGUMENT = "p[]";
  /**
   * Per resource, one module in training mode (batch statistics, running statistics updated)
   * and one in inference mode, as {@link Upsample2x} keeps one per gradient mode: no call
   * flips the mode of a module another thread is running.
   */
  private static final Map<String, PtSymbolBlock[]> MODULES = new HashMap<>();

  static final String UNET = "unet_bf16.pt";
  static final String MULTITASK = "multitask_bf16.pt";

  private Bf16Forward() {}

  /**
   * Runs {@code resource} on input {@code x} with {@code parameters} (in DJL's order for the
   * network, which the module reads); returns one fp32 logits array per head.
   */
  static NDList forward(String resource, ParameterStore ps, NDArray x,
      List<Parameter> parameters, boolean training) {
    if (!(x instanceof PtNDArray)) {
      throw new IllegalArgumentException("bf16 needs the PyTorch engine, got "
          + x.getClass().getName());
    }
    NDList args = new NDList(x);
    List<NDArray> views = new ArrayList<>();
    try {
      for (Parameter p : parameters) {
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
        return IValueUtils.forward(module(resource, training), args, grad);
      } finally {
        JniUtils.setGraphExecutorOptimize(true);
      }
    } finally {
      // The autograd graph holds its own references to the views' tensors.
      views.forEach(NDArray::close);
    }
  }

  private static synchronized PtSymbolBlock module(String resource, boolean training) {
    PtSymbolBlock[] pair = MODULES.computeIfAbsent(resource, r -> new PtSymbolBlock[2]);
    int i = training ? 1 : 0;
    if (pair[i] == null) {
      PtSymbolBlock m = ScriptModules.load(Bf16Forward.class, resource);
      if (training) {
        JniUtils.enableTrainingMode(m);
      } else {
        JniUtils.enableInferenceMode(m);
      }
      pair[i] = m;
    }
    return pair[i];
  }
}
