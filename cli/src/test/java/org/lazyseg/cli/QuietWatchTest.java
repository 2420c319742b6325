package org.lazyseg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** A quiet log gets a line saying what the command does; a talking one does not. */
class QuietWatchTest {

  @Test
  void aQuietLogGetsALineSayingWhatTheCommandDoes() throws Exception {
    StringWriter text = new StringWriter();
    try (QuietWatch watch = new QuietWatch(new PrintWriter(text), 1, "opening")) {
      watch.doing("[2/3] big  segmenting");
      waitFor(text, "segmenting");
    }
    assertThat(text.toString()).containsPattern("^\\[2/3\\] big  segmenting  \\(1 s since the"
        + " last line\\)\\R");
  }

  @Test
  void linesThroughTheWatchKeepItQuietAndItStopsWhenClosed() throws Exception {
    StringWriter text = new StringWriter();
    try (QuietWatch watch = new QuietWatch(new PrintWriter(text), 1, "working")) {
      for (int i = 0; i < 8; i++) {   // a line every 0.25 s for 2 s: never quiet for 1 s
        watch.log().println("line " + i);
        watch.log().flush();
        Thread.sleep(250);
      }
    }
    assertThat(text.toString()).doesNotContain("working");
    int length = text.toString().length();
    Thread.sleep(1500);
    assertThat(text.toString()).as("nothing after close").hasSize(length);
  }

  @Test
  void belowOneSecondNoThreadSpeaks() throws Exception {
    StringWriter text = new StringWriter();
    try (QuietWatch watch = new QuietWatch(new PrintWriter(text), 0, "working")) {
      Thread.sleep(300);
      watch.log().print("x");
    }
    assertThat(text.toString()).isEqualTo("x");
  }

  private static void waitFor(StringWriter text, String what) throws InterruptedException {
    long until = System.nanoTime() + 5_000_000_000L;
    while (!text.toString().contains(what) && System.nanoTime() < until) {
      Thread.sleep(50);
    }
  }
}
