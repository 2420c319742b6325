package org.lazyseg.train.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.train.export.ModelExport;

/**
 * The TorchScript file of a network, loaded back by PyTorch without LazySeg's classes, gives the
 * network's own softmax probabilities (fp32, inference: running statistics, which two training
 * forwards moved away from their initial values, so the folded batch norm is exercised).
 */
class TorchScriptExportTest {
  /** fp32 against fp32 (batch norm folded into the convolution there): measured below 1e-6. */
  private static final float TOLERANCE = 1e-4f;

  private static float[] exportedVersusOwn(Block net, Path dir) throws Exception {
    Engine.getInstance().setRandomSeed(5);
    Shape in = new Shape(1, 3, 32, 48);
    try (NDManager m = NDManager.newBaseManager()) {
      net.initialize(m, DataType.FLOAT32, in);
      ParameterStore ps = new ParameterStore(m, false);
      for (int i = 0; i < 2; i++) {
        net.forward(ps, new NDList(m.randomNormal(in).mul(2).add(0.5)), true);
      }
      NDArray x = m.randomNormal(in);
      NDList logits = net.forward(ps, new NDList(x), false);
      float[] own = new float[(int) (in.size() / 3 * logits.stream()
          .mapToLong(l -> l.getShape().get(1)).sum())];
      int at = 0;
      for (NDArray l : logits) {
        float[] p = l.softmax(1).toFloatArray();
        System.arraycopy(p, 0, own, at, p.length);
        at += p.length;
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      TorchScriptExport.write(net, out);
      Path file = dir.resolve("model.pt");
      Files.write(file, out.toByteArray());
      float[] exported = ModelExport.run(file, new FloatImage(48, 32, 3, x.toFloatArray()));
      assertThat(exported).hasSameSizeAs(own);
      float d = 0;
      for (int i = 0; i < own.length; i++) {
        d = Math.max(d, Math.abs(own[i] - exported[i]));
      }
      return new float[] {d, exported.length};
    }
  }

  @Test
  void aUNetWithTwoHeadsExportsItsProbabilities(@TempDir Path dir) throws Exception {
    UNet net = UNet.builder().setInputChannels(3).setHeads(2, 3).optWidth(8).optDepth(3).build();
    float[] r = exportedVersusOwn(net, dir);
    assertThat(r[1]).isEqualTo(5 * 32 * 48);
    assertThat(r[0]).isLessThan(TOLERANCE);
  }

  @Test
  void theMultiTaskNetworkWithSeparationExportsItsProbabilities(@TempDir Path dir)
      throws Exception {
    MultiTaskUNet net = new MultiTaskUNet(8, 3, 2, 2, 2);
    float[] r = exportedVersusOwn(net, dir);
    assertThat(r[1]).isEqualTo(6 * 32 * 48);
    assertThat(r[0]).isLessThan(TOLERANCE);
  }

  @Test
  void onlyLazySegsNetworksExport() {
    assertThatThrownBy(() -> TorchScriptExport.write(Linear.builder().setUnits(2).build(),
        new ByteArrayOutputStream())).hasMessageContaining("only LazySeg's U-Net");
  }
}
