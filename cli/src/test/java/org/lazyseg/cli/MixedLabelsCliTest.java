package org.lazyseg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code simulate --mix} and the default method of {@code train} on mixed labels. */
class MixedLabelsCliTest {
  @TempDir Path dir;

  private static Set<String> ids(Path folder) throws Exception {
    if (!Files.isDirectory(folder)) {
      return Set.of();
    }
    try (Stream<Path> s = Files.list(folder)) {
      Set<String> ids = new HashSet<>();
      s.filter(Files::isRegularFile)
          .forEach(p -> ids.add(p.getFileName().toString().replaceFirst("\\.png$", "")));
      return ids;
    }
  }

  private static Set<String> csvIds(Path file) throws Exception {
    List<String> lines = Files.readAllLines(file);
    Set<String> ids = new HashSet<>();
    lines.subList(1, lines.size()).forEach(l -> ids.add(l.split(",")[0]));
    return ids;
  }

  @Test
  void mixGivesEachTrainingImageOneKindInItsShareAndPricesIt() throws Exception {
    Path data = dir.resolve("data");
    Discs.write(data, 12, 1, 5);   // 10 training images, 2 test
    Path out = dir.resolve("mixed");
    CliTest.Result r = CliTest.run("simulate", "--from", data.toString(), "--out",
        out.toString(), "--mix", "strong=0.2,partial=0.4,sizes=0.2,tags=0.2", "--seed", "3",
        "--no-overlays");
    assertThat(r.code()).as(r.err()).isZero();
    Set<String> strong = new HashSet<>(ids(out.resolve("masks")));
    strong.removeAll(Set.of("im10", "im11"));   // test images keep their masks
    Set<String> partial = ids(out.resolve("partial"));
    Set<String> sized = csvIds(out.resolve("sizes.csv"));
    Set<String> tagged = csvIds(out.resolve("tags.csv"));
    assertThat(strong).hasSize(2);
    assertThat(partial).hasSize(4);
    assertThat(sized).hasSize(2);
    assertThat(tagged).hasSize(2);
    Set<String> all = new HashSet<>();
    for (Set<String> kind : List.of(strong, partial, sized, tagged)) {
      for (String id : kind) {
        assertThat(all.add(id)).as(id + " has one kind of label").isTrue();
      }
    }
    assertThat(ids(out.resolve("scribbles"))).isEqualTo(partial);   // with its partial mask
    // 2 strong + 4 partial / 6 + 2 sizes / 12 + 2 tags / 12
    assertThat(r.err()).contains("2 with a size, 2 with tags", "annotation cost 3.00 strong masks");

    CliTest.Result again = CliTest.run("simulate", "--from", data.toString(), "--out",
        dir.resolve("again").toString(), "--mix", "tags=0.2,sizes=0.2,partial=0.4,strong=0.2",
        "--seed", "3", "--no-overlays");
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(csvIds(dir.resolve("again/tags.csv"))).as("same seed, same images").isEqualTo(tagged);
    assertThat(ids(dir.resolve("again/partial"))).isEqualTo(partial);
  }

  @Test
  void mixMistakesAreCommandLineMistakes() throws Exception {
    Path data = dir.resolve("data");
    Discs.write(data, 3, 1, 5);
    String[][] cases = {
        {"strong=0.5,tags=0.6", "--mix shares must sum to at most 1"},
        {"strong=0.5,boxes=0.1", "--mix takes KIND=SHARE"},
        {"strong=half", "--mix: strong must be a number"}};
    int n = 0;
    for (String[] c : cases) {
      CliTest.Result r = CliTest.run("simulate", "--from", data.toString(), "--out",
          dir.resolve("o" + n++).toString(), "--mix", c[0]);
      assertThat(r.code()).as(r.err()).isEqualTo(2);
      assertThat(r.err()).contains(c[1]);
    }
    CliTest.Result both = CliTest.run("simulate", "--from", data.toString(), "--out",
        dir.resolve("both").toString(), "--mix", "strong=0.5", "--strong", "0.2");
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).contains("--mix replaces --strong");
  }

  @Test
  void trainDefaultsToLazyOnMixedLabelsAndToSupervisedOnMasksAlone() throws Exception {
    Path data = dir.resolve("data");
    Discs.write(data, 8, 2, 5);
    Path mixed = dir.resolve("mixed");
    CliTest.Result sim = CliTest.run("simulate", "--from", data.toString(), "--out",
        mixed.toString(), "--mix", "strong=0.5,tags=0.5", "--no-overlays");
    assertThat(sim.code()).as(sim.err()).isZero();
    String[] tiny = {"--profile", "quick", "--crop", "48", "--batch", "2", "--width", "4",
        "--depth", "2", "--steps-per-epoch", "1", "--epochs", "1", "--threads", "1",
        "--no-progress"};
    CliTest.Result lazy = CliTest.run(concat(new String[] {"train", "--data", mixed.toString(),
        "--out", dir.resolve("run-mixed").toString()}, tiny));
    assertThat(lazy.code()).as(lazy.err()).isZero();
    assertThat(lazy.err()).contains("method lazy (the default for training images with 2 kinds"
        + " of label: mask, tags)");
    CliTest.Result plain = CliTest.run(concat(new String[] {"train", "--data", data.toString(),
        "--out", dir.resolve("run-plain").toString()}, tiny));
    assertThat(plain.code()).as(plain.err()).isZero();
    assertThat(plain.err()).contains("method supervised (the default for these labels: mask)");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
