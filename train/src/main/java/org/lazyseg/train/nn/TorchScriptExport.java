package org.lazyseg.train.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.OutputStream;
import java.util.List;

/**
 * Writes a trained {@link UNet} or {@link MultiTaskUNet} as a standalone TorchScript file that
 * PyTorch ({@code torch.jit.load}) and other TorchScript runners load without LazySeg. Its
 * {@code forward(x)} takes the normalised input (N, C, H, W; H and W multiples of
 * 2^(depth - 1)) and returns every head's softmax probabilities concatenated along the channel
 * axis, computed in fp32.
 *
 * <p>How: {@code export_template.pt} (written by {@code train/tools/export_model.py}) holds the
 * networks' forwards and an empty parameter list; its {@code set_parameters} method takes
 * copies of this network's parameters, and the module is saved with them. DJL cannot build or
 * trace a TorchScript module, but it can call a method of one and save it.
 */
public final class TorchScriptExport {
  static final String TEMPLATE = "export_template.pt";

  private TorchScriptExport() {}

  /** Writes {@code block}'s network, parameters included, to {@code out} as TorchScript. */
  public static void write(Block block, OutputStream out) {
    if (!(block instanceof PrecisionSwitch network)) {
      throw new IllegalArgumentException("only LazySeg's U-Net and multi-task networks export, not "
          + block.getClass().getName());
    }
    List<Parameter> parameters = network.orderedParameters();
    PtNDArray[] arrays = new PtNDArray[parameters.size()];
    for (int i = 0; i < arrays.length; i++) {
      NDArray a = parameters.get(i).getArray();
      if (!(a instanceof PtNDArray pt)) {
        throw new IllegalArgumentException("TorchScript export needs the PyTorch engine");
      }
      arrays[i] = pt;
    }
    // The template lives for this call only, in a manager of its own.
    try (NDManager manager = NDManager.newBaseManager()) {
      PtSymbolBlock template = ScriptModules.load(TorchScriptExport.class, TEMPLATE, manager);
      JniUtils.enableInferenceMode(template);
      try (IValue list = IValue.listFrom(arrays);
          IValue multitask = IValue.from(block instanceof MultiTaskUNet);
          IValue ignored = IValueUtils.runMethod(template, "set_parameters", list, multitask)) {
        JniUtils.writeModule(template, out, false);
      } finally {
        template.close();
      }
    }
  }
}
