package org.lazyseg.train.method;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The settings tables of README.md and docs/methods.md are the declarations' own. */
class MethodDocsTest {

  @Test
  void readmeAndMethodsDocShowTheDeclaredSettings() throws Exception {
    for (String doc : List.of("../README.md", "../docs/methods.md")) {
      String text = Files.readString(Path.of(doc));
      assertThat(text).as(doc + " is out of date: run MethodDocs " + doc
          + " from the repository root (see its javadoc)")
          .isEqualTo(MethodDocs.fill(text, Methods.all()));
    }
    assertThat(Files.readString(Path.of("../README.md")))
        .contains(Methods.all().stream().map(m -> "<!-- settings:" + m.name() + " -->")
            .toArray(String[]::new));
  }

  @Test
  void tablesAndHelpComeFromTheDeclarations() {
    Method multitask = Methods.byName("multitask");
    assertThat(MethodDocs.markdown(multitask)).contains(
        "| `interface-threshold` | a number in (0, 1) | `0.1` |",
        "| `min-piece` | a whole number >= 0 | `32` |");
    assertThat(MethodDocs.markdown(Methods.byName("weak-only")))
        .isEqualTo("`weak-only` takes no settings.");
    assertThat(MethodDocs.helpText(List.of(Methods.byName("recursive"))))
        .contains("-O seed-threshold=auto", "(a number in (0, 1) or auto)");
    // Every declared default parses as its own setting.
    for (Method m : Methods.all()) {
      for (Setting s : m.settings()) {
        Map<String, String> one = s.defaultValue().isEmpty() ? Map.of()
            : Map.of(s.name(), s.defaultValue());
        assertThat(Methods.create(m.name(), one).name()).isEqualTo(m.name());
      }
    }
  }

  @Test
  void valuesOutsideTheDeclaredRangeAreRefusedWithWhatIsAllowed() {
    Setting s = Setting.number("t", 0.5, 0, 1, "a share").aboveMin();
    assertThat(s.parse("m", "1")).isEqualTo(1.0);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.parse("m", "0"))
        .hasMessage("method 'm': t must be a number in (0, 1], not '0'");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.parse("m", "NaN"))
        .hasMessageContaining("t must be");
    Setting whole = Setting.integer("n", 2, 1, 10, "count");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> whole.parse("m", "2.7"))
        .hasMessage("method 'm': n must be a whole number in [1, 10], not '2.7'");
  }
}
