import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.io.FileInputStream;

/**
 * Runs MODULE.pt (conv_variants.py) forward and backward 13 times on an (N, C, S, S) input
 * with C -> C 3x3 weights, THREADS intra-op threads; oneDNN's verbose log (ONEDNN_VERBOSE=1)
 * gives each primitive's time. usage: java -cp "LIB/*" ConvBackward.java MODULE.pt N C S THREADS
 */
public class ConvBackward {
  public static void main(String[] a) throws Exception {
    System.setProperty("ai.djl.pytorch.num_threads", a[4]);
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    int n = Integer.parseInt(a[1]), c = Integer.parseInt(a[2]), s = Integer.parseInt(a[3]);
    try (NDManager m = NDManager.newBaseManager()) {
      JniUtils.setGraphExecutorOptimize(false); // as Bf16UNet runs its module
      PtSymbolBlock module = JniUtils.loadModule((PtNDManager) m, new FileInputStream(a[0]),
          false, false);
      NDArray x = m.randomNormal(new Shape(n, c, s, s));
      NDArray w = m.randomNormal(new Shape(c, c, 3, 3)).mul(0.05);
      NDArray b = m.zeros(new Shape(c));
      NDArray r = m.randomNormal(new Shape(n, c, s, s));
      x.setRequiresGradient(true);
      w.setRequiresGradient(true);
      b.setRequiresGradient(true);
      for (int i = 0; i < 13; i++) {
        try (NDManager step = m.newSubManager();
            GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray y = IValueUtils.forward(module, new NDList(x, w, b), true).singletonOrThrow();
          step.tempAttachAll(y);
          gc.backward(y.mul(r).sum());
        }
      }
    }
  }
}
