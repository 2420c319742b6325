package org.lazyseg.fiji;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The headless macro runner: exit status 0 for a macro that runs to its end, 3 for one that
 * stops at an error, whose message (not a HeadlessException from ImageJ's error dialog) is
 * printed on stderr.
 */
class HeadlessMacroTest {
  @TempDir static Path dir;

  @BeforeAll
  static void imagej() throws Exception {
    HeadlessImageJ.register();
  }

  private record Run(int status, String stderr) {}

  private static Run run(String code) throws Exception {
    PrintStream err = System.err;
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    System.setErr(new PrintStream(console, true, StandardCharsets.UTF_8));
    try {
      int status = HeadlessMacro.run(code, null, "batch.ijm");
      return new Run(status, console.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(err);
    }
  }

  @Test
  void aMacroThatStopsAtAnErrorExits3WithItsMessage() throws Exception {
    Path done = dir.resolve("done.txt");
    Run ok = run("newImage('a', '8-bit black', 32, 32, 1);\n"
        + "File.saveString('done', '" + done + "');\n");
    assertThat(ok.status()).isZero();
    assertThat(done).exists();

    Run unknown = run("print('a');\nrun('Gaussian Blur...', 'sigma=2');\nprint('b');\n");
    assertThat(unknown.status()).isEqualTo(3);
    assertThat(unknown.stderr())
        .contains("Macro error in batch.ijm: Unrecognized command: \"Gaussian Blur")
        .doesNotContain("Exception");

    Run syntax = run("x = ;\n");
    assertThat(syntax.status()).isEqualTo(3);
    assertThat(syntax.stderr()).contains("Macro error in batch.ijm: ");

    Run lazyseg = run("newImage('blank', '8-bit black', 64, 64, 1);\n"
        + "makeRectangle(100, 100, 10, 10);\n"
        + "run('LazySeg Add Label', 'dataset=[" + dir.resolve("data") + "] kind=partial');\n"
        + "File.saveString('ran on', '" + dir.resolve("ran on.txt") + "');\n");
    assertThat(lazyseg.status()).isEqualTo(3);
    assertThat(lazyseg.stderr()).contains("LazySeg Add Label: the selection (10 x 10 at "
        + "100,100) lies outside the 64 x 64 image").doesNotContain("Exception");
    assertThat(dir.resolve("ran on.txt")).doesNotExist();
  }
}
