package org.lazyseg.train.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;
import org.lazyseg.train.ModelSpec;
import org.lazyseg.train.Task;

class MultiTaskUNetTest {

  private static NDList forward(MultiTaskUNet net, NDManager m, NDArray x) {
    return net.forward(new ParameterStore(m, false), new NDList(x), false);
  }

  @Test
  void outputsSegmentationDetectionAndSeparationInThatOrder() {
    MultiTaskUNet net = new MultiTaskUNet(4, 3, 3, 3, 2);
    try (NDManager m = NDManager.newBaseManager()) {
      net.initialize(m, DataType.FLOAT32, new Shape(2, 1, 16, 24));
      NDList out = forward(net, m, m.randomNormal(new Shape(2, 1, 16, 24)));
      assertThat(out).hasSize(3);
      assertThat(out.get(0).getShape()).isEqualTo(new Shape(2, 3, 16, 24));
      assertThat(out.get(2).getShape()).isEqualTo(new Shape(2, 2, 16, 24));
      assertThat(new MultiTaskUNet(4, 3, 3, 3, 0).heads()).containsExactly(3, 3);
    }
  }

  /**
   * Detection and segmentation run through the same weights: with the residual sub-blocks
   * silenced (all their weights zero gives exactly zero after batch norm and LeakyReLU) and
   * equal heads, the two outputs are identical; waking the residual makes them differ.
   */
  @Test
  void detectionAndSegmentationShareTheirBlocksAndDifferByTheResidual() {
    MultiTaskUNet net = new MultiTaskUNet(4, 3, 2, 2, 0);
    try (NDManager m = NDManager.newBaseManager()) {
      net.initialize(m, DataType.FLOAT32, new Shape(1, 1, 16, 16));
      Parameter head0 = null, head1 = null;
      for (Pair<String, Parameter> p : net.getParameters()) {
        String name = p.getKey().replaceFirst("^\\d+", ""); // DJL prefixes the child index
        if (name.startsWith("residual") && (name.endsWith("weight") || name.endsWith("bias"))
            && !name.contains("gamma")) {
          p.getValue().getArray().muli(0);
        }
        if (name.equals("head0_weight")) {
          head0 = p.getValue();
        }
        if (name.equals("head1_weight")) {
          head1 = p.getValue();
        }
      }
      head1.getArray().set(head0.getArray().toFloatArray());
      NDArray x = m.randomNormal(new Shape(1, 1, 16, 16));
      NDList out = forward(net, m, x);
      // Heads' biases are zero-initialised, so equal weights mean equal heads.
      assertThat(out.get(0).sub(out.get(1)).abs().max().getFloat()).isLessThan(1e-5f);

      for (Pair<String, Parameter> p : net.getParameters()) {
        String name = p.getKey().replaceFirst("^\\d+", "");
        if (name.startsWith("residual0") && name.endsWith("weight")) {
          p.getValue().getArray().addi(0.1f);
        }
      }
      NDList woken = forward(net, m, x);
      assertThat(woken.get(0).sub(woken.get(1)).abs().max().getFloat()).isGreaterThan(1e-3f);
    }
  }

  @Test
  void aSpecBuildsItAndChecksItsTasks() {
    ModelSpec spec = ModelSpec.builder().setChannels(1).addTask(Task.of("segmentation", 2))
        .addTask(Task.of("detection", 2)).addTask(Task.of("separation", 2))
        .optNetwork(ModelSpec.MULTITASK_DECODER).build();
    assertThat(spec.newBlock()).isInstanceOf(MultiTaskUNet.class);
    assertThatThrownBy(() -> ModelSpec.builder().setChannels(1).addTask(Task.of("fg", 2))
        .optNetwork(ModelSpec.MULTITASK_DECODER).build())
        .hasMessageContaining("needs the tasks segmentation, detection");
    assertThatThrownBy(() -> ModelSpec.builder().setChannels(1).addTask(Task.of("fg", 2))
        .optNetwork("resnet").build()).hasMessageContaining("unknown network 'resnet'");
  }
}
