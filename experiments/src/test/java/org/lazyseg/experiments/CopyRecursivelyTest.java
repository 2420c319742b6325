package org.lazyseg.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ExperimentContext.copyRecursively: a pre-trained run copied for another run. */
class CopyRecursivelyTest {
  @TempDir Path dir;

  @Test
  void copiesAFolderTreeAndNeverOverwrites() throws IOException {
    Path from = dir.resolve("run/pretrain");
    Files.createDirectories(from.resolve("checkpoints/best"));
    Files.writeString(from.resolve("metrics.csv"), "epoch\n1\n");
    Files.writeString(from.resolve("checkpoints/best/state.json"), "{}");
    Path to = dir.resolve("other/pretrain");
    Files.createDirectories(to.getParent());

    ExperimentContext.copyRecursively(from, to);
    assertThat(to.resolve("metrics.csv")).hasContent("epoch\n1\n");
    assertThat(to.resolve("checkpoints/best/state.json")).hasContent("{}");
    assertThat(to.resolveSibling("pretrain.tmp")).doesNotExist();

    assertThatThrownBy(() -> ExperimentContext.copyRecursively(from, to))
        .isInstanceOf(IOException.class).hasMessageContaining("will not copy over");
  }
}
