package org.lazyseg.core.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.ImageFiles.ImageFileException;

/**
 * Reads an image's width and height from its header without decoding pixels, so that checking
 * the sizes of hundreds of files costs milliseconds per file rather than a full decode.
 */
final class ImageHeaders {
  private ImageHeaders() {}

  /** Width and height of a PNG, TIFF or JPEG, as {@code {width, height}}. */
  static int[] size(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ImageFileException(file, "no such file");
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      if (in == null) {
        throw new ImageFileException(file, "cannot open for reading");
      }
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new ImageFileException(file, ImageFiles.NOT_AN_IMAGE);
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        return new int[] {reader.getWidth(0), reader.getHeight(0)};
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof ImageFileException) {
        throw (ImageFileException) e;
      }
      throw new ImageFileException(file, "unreadable image header (" + ImageFiles.reason(e) + ")");
    }
  }

  static String format(int[] size) {
    return size[0] + "x" + size[1];
  }
}
