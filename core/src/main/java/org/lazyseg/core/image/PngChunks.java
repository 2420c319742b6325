package org.lazyseg.core.image;

import java.nio.file.Path;
import java.util.zip.CRC32;
import org.lazyseg.core.image.ImageFiles.ImageFileException;

/**
 * Checks the chunk structure of a PNG held in memory: every chunk's CRC32 and a final IEND.
 * The JDK's PNG reader ignores CRCs, so without this a flipped bit in IDAT decodes to wrong
 * pixels (or a wrong label) without a word; this walk costs one CRC over the file's bytes,
 * little next to inflating them.
 */
final class PngChunks {
  static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

  private PngChunks() {}

  /** Whether {@code head} starts with the PNG signature. */
  static boolean isPng(byte[] head) {
    if (head.length < SIGNATURE.length) {
      return false;
    }
    for (int i = 0; i < SIGNATURE.length; i++) {
      if (head[i] != SIGNATURE[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Throws {@link ImageFileException} naming {@code file}, the chunk and its byte offset when
   * a chunk's CRC does not match, a chunk runs past the end of the file, or no IEND ends it.
   * Bytes after IEND are ignored, as every PNG reader does.
   */
  static void check(Path file, byte[] png) {
    CRC32 crc = new CRC32();
    int pos = SIGNATURE.length;
    while (true) {
      if (pos + 8 > png.length) {
        throw damaged(file, "truncated: the file ends " + (pos == png.length
            ? "without an IEND chunk" : "inside the chunk header at byte " + pos));
      }
      long length = readInt(png, pos) & 0xFFFFFFFFL;
      String type = type(png, pos + 4);
      if (length > Integer.MAX_VALUE) {
        throw damaged(file, "chunk " + type + " at byte " + pos + " claims " + length
            + " bytes, more than PNG allows");
      }
      if (pos + 12 + length > png.length) {
        throw damaged(file, "truncated: chunk " + type + " at byte " + pos + " runs past the end"
            + " of the file (" + png.length + " bytes)");
      }
      crc.reset();
      crc.update(png, pos + 4, 4 + (int) length);
      int stored = readInt(png, pos + 8 + (int) length);
      if ((int) crc.getValue() != stored) {
        throw damaged(file, "CRC error in chunk " + type + " at byte " + pos);
      }
      if (type.equals("IEND")) {
        return;
      }
      pos += 12 + (int) length;
    }
  }

  private static ImageFileException damaged(Path file, String what) {
    return new ImageFileException(file, "damaged PNG (" + what + ")");
  }

  private static int readInt(byte[] b, int at) {
    return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8
        | (b[at + 3] & 0xFF);
  }

  /** The chunk type as its four letters, or in hex when it is not letters (damage). */
  private static String type(byte[] b, int at) {
    StringBuilder s = new StringBuilder(4);
    for (int i = at; i < at + 4; i++) {
      char c = (char) (b[i] & 0xFF);
      if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z')) {
        return String.format("0x%02X%02X%02X%02X", b[at], b[at + 1], b[at + 2], b[at + 3]);
      }
      s.append(c);
    }
    return s.toString();
  }
}
