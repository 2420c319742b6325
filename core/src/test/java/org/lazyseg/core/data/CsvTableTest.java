package org.lazyseg.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dataset CSV files are RFC 4180: any file name can be an id, and what is written reads back. */
class CsvTableTest {
  @TempDir Path dir;

  @Test
  void idsWithCommasQuotesAndSpacesRoundTrip() throws Exception {
    Path file = dir.resolve("tags.csv");
    String[] ids = {"plain", "slide 3, region 2", "say \"hi\"", " padded "};
    CsvTable.Writer w = CsvTable.of("id", "gland, benign", "vessel");
    for (String id : ids) {
      w.row(CsvTable.idAndFlags(id, new boolean[] {true, false}));
    }
    w.write(file);
    assertThat(Files.readString(file)).startsWith("id,\"gland, benign\",vessel\nplain,1,0\n"
        + "\"slide 3, region 2\",1,0\n\"say \"\"hi\"\"\",1,0\n");
    CsvTable t = CsvTable.read(file);
    assertThat(t.header).containsExactly("id", "gland, benign", "vessel");
    assertThat(t.rows).extracting(r -> r.fields()[0])
        .containsExactly("plain", "slide 3, region 2", "say \"hi\"", " padded ");
    assertThat(t.rows).extracting(CsvTable.Row::line).containsExactly(2, 3, 4, 5);
  }

  @Test
  void handWrittenFilesKeepTheirLeniencyAndLineNumbers() throws Exception {
    Path file = dir.resolve("split.csv");
    Files.writeString(file, "\uFEFFid , split\n\n a , train \n\nb,test\n");
    CsvTable t = CsvTable.read(file);
    assertThat(t.header).containsExactly("id", "split");
    assertThat(t.rows).extracting(r -> r.fields()[0] + "=" + r.fields()[1] + "@" + r.line())
        .containsExactly("a=train@3", "b=test@5");
  }

  @Test
  void anUnclosedQuoteNamesTheFileAndLine() throws Exception {
    Path file = dir.resolve("split.csv");
    Files.writeString(file, "id,split\na,train\n\"b,test\n");
    assertThatThrownBy(() -> CsvTable.read(file))
        .isInstanceOf(DatasetException.class)
        .hasMessageStartingWith(file + ": line 3");
  }

  @Test
  void aRowOfTheWrongWidthIsRefusedWhenWritten() {
    assertThatThrownBy(() -> CsvTable.of("id", "size").row("a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a row of 1 fields for a header of 2");
  }
}
