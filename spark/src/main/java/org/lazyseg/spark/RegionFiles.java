package org.lazyseg.spark;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;
import org.lazyseg.core.data.OutputFolder;
import org.lazyseg.core.image.LabelImage;

/**
 * What a region task hands to the assembly of its image: the region's class ids, its cut
 * and its foreground probabilities (when asked), in OUT/{@value #FOLDER}/ID/X-Y.bin
 * (deflated; written under a temporary name and renamed, so a file there is whole). A rerun
 * keeps the regions already done; the assembly deletes the image's folder once its outputs
 * are written.
 */
final class RegionFiles {
  static final String FOLDER = ".lazyseg-regions";
  private static final int MAGIC = 0x4c535231;   // "LSR1"

  private RegionFiles() {}

  static Path folder(Path out, String id) {
    return out.resolve(FOLDER).resolve(id);
  }

  static Path file(Path out, String id, int x0, int y0) {
    return folder(out, id).resolve(x0 + "-" + y0 + ".bin");
  }

  /**
   * Writes one region: {@code cut} and {@code foreground} may be null. {@code key} names
   * what it was made from (model, options, image file and its time); a region file is reused
   * only for the same key ({@link #matches}).
   */
  static void write(Path file, String key, int x0, int y0, LabelImage classes, LabelImage cut,
      float[] foreground) {
    try {
      OutputFolder.writeAtomically(file, tmp -> {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
            new DeflaterOutputStream(Files.newOutputStream(tmp), new Deflater(1)), 1 << 16))) {
          out.writeInt(MAGIC);
          out.writeUTF(key);
          out.writeInt(x0);
          out.writeInt(y0);
          out.writeInt(classes.width());
          out.writeInt(classes.height());
          out.writeBoolean(cut != null);
          out.writeBoolean(foreground != null);
          for (int v : classes.data()) {
            out.writeInt(v);
          }
          if (cut != null) {
            for (int v : cut.data()) {
              out.writeByte(v);
            }
          }
          if (foreground != null) {
            for (float v : foreground) {
              out.writeFloat(v);
            }
          }
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** Whether {@code file} is a whole region file made for {@code key}. */
  static boolean matches(Path file, String key) {
    if (!Files.isRegularFile(file)) {
      return false;
    }
    try (DataInputStream in = open(file)) {
      return in.readInt() == MAGIC && in.readUTF().equals(key);
    } catch (IOException e) {
      return false;
    }
  }

  private static DataInputStream open(Path file) throws IOException {
    return new DataInputStream(new BufferedInputStream(
        new InflaterInputStream(Files.newInputStream(file)), 1 << 16));
  }

  /**
   * Copies a region file made for {@code key} into the image's {@code classes}, {@code cut}
   * and {@code foreground} (the last two nullable: then not read).
   */
  static void readInto(Path file, String key, LabelImage classes, LabelImage cut,
      float[] foreground) {
    try (DataInputStream in = open(file)) {
      if (in.readInt() != MAGIC || !in.readUTF().equals(key)) {
        throw new IOException("not a region file of this run");
      }
      int x0 = in.readInt(), y0 = in.readInt(), w = in.readInt(), h = in.readInt();
      boolean hasCut = in.readBoolean(), hasForeground = in.readBoolean();
      int width = classes.width();
      if (x0 < 0 || y0 < 0 || x0 + w > width || y0 + h > classes.height()) {
        throw new IOException("region " + w + "x" + h + " at " + x0 + "," + y0
            + " outside the " + width + "x" + classes.height() + " image");
      }
      for (int y = 0; y < h; y++) {
        for (int x = 0, i = (y0 + y) * width + x0; x < w; x++, i++) {
          classes.data()[i] = in.readInt();
        }
      }
      if (hasCut) {
        for (int y = 0; y < h; y++) {
          for (int x = 0, i = (y0 + y) * width + x0; x < w; x++, i++) {
            byte v = in.readByte();
            if (cut != null) {
              cut.data()[i] = v;
            }
          }
        }
      }
      if (hasForeground && foreground != null) {
        for (int y = 0; y < h; y++) {
          for (int x = 0, i = (y0 + y) * width + x0; x < w; x++, i++) {
            foreground[i] = in.readFloat();
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Deletes the region files of image {@code id}. */
  static void delete(Path out, String id) {
    try {
      OutputFolder.deleteRecursively(folder(out, id));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + folder(out, id) + ": " + e.getMessage(), e);
    }
  }
}
