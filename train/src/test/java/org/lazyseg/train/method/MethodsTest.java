package org.lazyseg.train.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.train.RunFolder;

class MethodsTest {

  @Test
  void unknownNamesAndOptionsAreRejectedWithTheKnownOnes() {
    assertThatThrownBy(() -> Methods.byName("magic"))
        .hasMessageContaining("unknown method 'magic'").hasMessageContaining("multitask");
    assertThatThrownBy(() -> Methods.create("supervised", Map.of("lambda", "1")))
        .hasMessageContaining("takes no options").hasMessageContaining("lambda");
  }

  @Test
  void aRunRemembersItsMethodAndOptions(@TempDir Path run) throws IOException {
    assertThat(Methods.ofRun(run).name()).isEqualTo("supervised");
    RunFolder.write(run.resolve(TrainingJob.RECORD_FILE), new TrainingJob.Record("d",
        "multitask", Map.of(), "quick", 0.1, 0, List.of("cell"), List.of(), List.of()));
    assertThat(Methods.ofRun(run).name()).isEqualTo("multitask");
  }

  @Test
  void everyMethodIsFoundByItsOwnName() {
    for (Method m : Methods.all()) {
      assertThat(Methods.create(m.name(), m.options()).name()).isEqualTo(m.name());
    }
  }

  @Test
  void multiTaskSetsTheStrongShareOfItsBatches() {
    org.lazyseg.train.TrainConfig config = org.lazyseg.train.TrainConfig.profile("quick").build();
    assertThat(config.strongShare()).isZero();
    assertThat(Methods.create("multitask", Map.of()).adjust(config).strongShare())
        .isEqualTo(LazyMultiTask.STRONG_SHARE);
    Method half = Methods.create("multitask", Map.of("strong-share", "0.5"));
    assertThat(half.adjust(config).strongShare()).isEqualTo(0.5);
    assertThat(half.options()).containsEntry("strong-share", "0.5");
    assertThat(Methods.create("multitask", Map.of()).options()).doesNotContainKey("strong-share");
    assertThatThrownBy(() -> Methods.create("multitask", Map.of("strong-share", "2")))
        .hasMessageContaining("strong-share must be in [0, 1]");
    assertThat(Methods.create("supervised", Map.of()).adjust(config).strongShare()).isZero();
    Method weighted = Methods.create("multitask", Map.of("separation-weight", "20"));
    assertThat(weighted.tasks(1).get(2).foregroundWeight()).isEqualTo(20.0);
    assertThat(weighted.options()).containsEntry("separation-weight", "20.0");
    assertThat(Methods.create("multitask", Map.of()).tasks(1).get(2).foregroundWeight())
        .isEqualTo(1.0);
  }
}
