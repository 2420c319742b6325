package org.lazyseg.core.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.lazyseg.core.image.ImageFiles;

/**
 * Reads the text files of a dataset (the CSV files, classes.txt) as UTF-8. A file in another
 * encoding is refused with the first byte that is not UTF-8 and where it is, rather than
 * guessed (as Latin-1, say): a wrong guess silently turns ids and class names into other
 * names, while saving as UTF-8 is one choice in every editor and spreadsheet.
 */
public final class TextFiles {
  private TextFiles() {}

  /** {@link ImageFiles#writeText}, for callers that handle an {@link IOException}. */
  public static void write(Path file, String text) throws IOException {
    try {
      ImageFiles.writeText(file, text);
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** The lines of {@code file}, as {@link Files#readAllLines} splits them. */
  static List<String> readLines(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new DatasetException(file, "unreadable (" + e.getMessage() + ")");
    }
    int b0 = bytes.length > 1 ? bytes[0] & 0xFF : 0, b1 = bytes.length > 1 ? bytes[1] & 0xFF : 0;
    if (b0 == 0xFF && b1 == 0xFE || b0 == 0xFE && b1 == 0xFF) {
      throw new DatasetException(file, "UTF-16 text (it starts with a UTF-16 byte order mark);"
          + " save it as UTF-8");
    }
    // Files.readAllLines reports only "Input length = 1"; decoding by hand tells where.
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);   // UTF-8 gives at most a char a byte
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      int at = in.position();
      int line = 1, lineStart = 0;
      for (int i = 0; i < at; i++) {
        if (bytes[i] == '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      throw new DatasetException(file, String.format("not UTF-8 text (byte 0x%02X at line %d,"
          + " byte %d of the line); save it as UTF-8", bytes[at], line, at - lineStart + 1));
    }
    return out.flip().toString().lines().toList();
  }
}
