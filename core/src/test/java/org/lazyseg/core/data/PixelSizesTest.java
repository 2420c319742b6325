package org.lazyseg.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PixelSizesTest {
  @TempDir Path dir;

  @Test
  void readsAPlainOrAUnitColumnAndIgnoresOthers() throws Exception {
    Path file = dir.resolve(PixelSizes.FILE);
    Files.writeString(file, "id,pixel_size_mm,head_circumference_mm\n000_HC,0.069135804,44.3\n");
    PixelSizes hc = PixelSizes.read(file);
    assertThat(hc.unit()).isEqualTo("mm");
    assertThat(hc.of("000_HC")).hasValue(0.069135804);
    assertThat(hc.of("001_HC")).isEmpty();
    Files.writeString(file, "id,pixel_size\na,2\n");
    assertThat(PixelSizes.read(file).unit()).isEmpty();
    assertThat(PixelSizes.find(dir.resolve("nowhere"), dir)).hasValueSatisfying(
        p -> assertThat(p.of("a")).hasValue(2.0));
    assertThat(PixelSizes.find(dir.resolve("nowhere"))).isEmpty();
  }

  @Test
  void badFilesAreOneLineNamingTheFileAndLine() throws Exception {
    Path file = dir.resolve(PixelSizes.FILE);
    Files.writeString(file, "id,size\na,2\n");
    assertThatThrownBy(() -> PixelSizes.read(file)).isInstanceOf(DatasetException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("pixel_size");
    Files.writeString(file, "id,pixel_size\na,0\n");
    assertThatThrownBy(() -> PixelSizes.read(file)).hasMessageContaining("line 2")
        .hasMessageContaining("> 0");
    Files.writeString(file, "id,pixel_size\na,1\na,2\n");
    assertThatThrownBy(() -> PixelSizes.read(file)).hasMessageContaining("listed twice");
    Files.writeString(file, "id,pixel_size,pixel_size_um\na,1,2\n");
    assertThatThrownBy(() -> PixelSizes.read(file)).hasMessageContaining("two pixel size columns");
  }
}
