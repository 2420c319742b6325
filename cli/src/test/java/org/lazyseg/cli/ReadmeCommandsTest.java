package org.lazyseg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The README and docs/ say only what is true of the command line: every {@code lazyseg}
 * command they show (in code blocks and in inline code) names a command that exists and
 * options that command has; the cheap ones (help) are run.
 */
class ReadmeCommandsTest {
  /** The repository root: tests run in the cli module's folder. */
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern INLINE = Pattern.compile("`((?:\\./)?lazyseg [^`]+)`");
  private static final Pattern OPTION = Pattern.compile("(?<![\\w-])(--[a-z][a-z0-9-]*)");

  record Shown(Path file, int line, String command) {}

  static List<Shown> commandsShown() throws IOException {
    List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    List<Shown> shown = new ArrayList<>();
    for (Path f : files) {
      List<String> lines = Files.readAllLines(f);
      boolean block = false;
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        if (line.strip().startsWith("```")) {
          block = !block;
          continue;
        }
        String text = line.strip();
        if (block && (text.startsWith("lazyseg ") || text.startsWith("./lazyseg "))) {
          shown.add(new Shown(f, i + 1, text.replaceFirst("\\s+#.*$", "")));
        } else if (!block) {
          Matcher m = INLINE.matcher(line);
          while (m.find()) {
            shown.add(new Shown(f, i + 1, m.group(1)));
          }
        }
      }
    }
    return shown;
  }

  @Test
  void everyCommandShownExistsWithTheOptionsShown() throws IOException {
    List<Shown> shown = commandsShown();
    assertThat(shown).as("README shows lazyseg commands").hasSizeGreaterThan(10);
    CommandLine cl = LazySeg.commandLine();
    List<String> wrong = new ArrayList<>();
    for (Shown s : shown) {
      String[] words = s.command().replaceFirst("^(\\./)?lazyseg\\s+", "").split("\\s+");
      String where = ROOT.relativize(s.file()) + ":" + s.line() + " `" + s.command() + "`";
      if (words[0].startsWith("-") || words[0].equals(words[0].toUpperCase())) {
        continue;   // lazyseg --help, or a placeholder such as `lazyseg COMMAND --help`
      }
      CommandLine sub = cl.getSubcommands().get(words[0]);
      if (sub == null) {
        wrong.add(where + ": no command '" + words[0] + "'");
        continue;
      }
      CommandSpec spec = sub.getCommandSpec();
      Matcher m = OPTION.matcher(s.command());
      while (m.find()) {
        String option = m.group(1);
        if (spec.findOption(option) == null
            && spec.findOption(option.replaceFirst("^--no-", "--")) == null) {
          wrong.add(where + ": 'lazyseg " + words[0] + "' has no option " + option);
        }
      }
    }
    assertThat(wrong).as("commands in the docs that the command line does not have").isEmpty();
  }

  @Test
  void theHelpCommandsShownRun() {
    for (String command : LazySeg.commandLine().getSubcommands().keySet()) {
      CliTest.Result r = CliTest.run("help", command);
      assertThat(r.code()).as(command).isZero();
      assertThat(r.out()).as(command).contains("Usage: lazyseg " + command);
    }
  }
}
