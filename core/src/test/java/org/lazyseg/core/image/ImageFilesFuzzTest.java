package org.lazyseg.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.core.image.ImageFiles.ImageFileException;
import org.lazyseg.core.testing.TestImages;
import org.lazyseg.core.testing.TestTiffs;

/**
 * Seeded fuzzing of the image readers: small PNGs and TIFFs of every kind we read (images and
 * label files) are mutated (bit flips, byte overwrites, truncation, damaged chunk and IFD
 * fields, huge sizes in the header, zero length) and read through {@link ImageFiles#readImage}
 * or {@link ImageFiles#readLabels}, stacks (an ImageJ hyperstack, an OME-TIFF) plane by plane
 * through {@link ImageStack}, each within a time limit. Properties:
 * <ul>
 *   <li>every failure is an {@link ImageFileException} (no NPE, IndexOutOfBounds,
 *       NegativeArraySize, OutOfMemoryError... escapes), and no read hangs;
 *   <li>PNG: every mutation that changes a byte of the file (all of which lie in chunks the
 *       CRCs cover, or in the signature and length fields that frame them) is rejected;
 *   <li>TIFF has no checksum, so a changed pixel byte cannot be detected and such files may
 *       be read: only structural damage (a cut file, strips past the end) must be rejected.
 * </ul>
 */
class ImageFilesFuzzTest {
  private static final long SEED = 20240529L;
  private static final int MUTATIONS_PER_SEED = 150;
  private static final long TIMEOUT_S = 5;

  @TempDir Path dir;

  /**
   * A seed file: its bytes, whether it is a label file, its format, whether it is a stack
   * (read through {@link ImageStack}, every plane).
   */
  private record Seed(String name, byte[] bytes, boolean labels, boolean png, boolean stack) {}

  /** A mutated file: the kind of mutation and whether it must be rejected. */
  private record Mutant(Seed seed, String kind, byte[] bytes, boolean mustReject) {}

  @Test
  void mutatedPngAndTiffFilesAreRejectedOrReadNeverCrashOrHang() throws Exception {
    Random rng = new Random(SEED);
    List<Mutant> mutants = new ArrayList<>();
    for (Seed seed : seeds()) {
      mutants.add(new Mutant(seed, "zero-length", new byte[0], true));
      for (int i = 0; i < MUTATIONS_PER_SEED; i++) {
        Mutant m = mutate(seed, rng);
        if (!Arrays.equals(m.bytes(), seed.bytes())) {
          mutants.add(m);
        }
      }
    }
    Map<String, int[]> counts = new LinkedHashMap<>();   // kind -> {files, rejected, accepted}
    List<String> failures = new ArrayList<>();
    ExecutorService pool = daemonPool();
    int n = 0;
    int rejected = 0, accepted = 0;
    try {
      for (Mutant m : mutants) {
        Path file = dir.resolve("f" + n++ + (m.seed().png() ? ".png" : ".tif"));
        Files.write(file, m.bytes());
        Function<Path, Object> read = m.seed().stack() ? ImageFilesFuzzTest::readPlanes
            : m.seed().labels() ? ImageFiles::readLabels : ImageFiles::readImage;
        Future<Object> result = pool.submit(() -> read.apply(file));
        int[] c = counts.computeIfAbsent((m.seed().png() ? "png " : "tiff ") + m.kind(), k -> new int[3]);
        c[0]++;
        String what = m.seed().name() + " / " + m.kind() + " (" + file.getFileName() + ")";
        try {
          result.get(TIMEOUT_S, TimeUnit.SECONDS);
          accepted++;
          c[2]++;
          if (m.mustReject()) {
            failures.add("accepted: " + what);
          }
        } catch (TimeoutException e) {
          failures.add("hang (> " + TIMEOUT_S + " s): " + what);
          result.cancel(true);
          pool.shutdownNow();
          pool = daemonPool();
        } catch (java.util.concurrent.ExecutionException e) {
          Throwable t = e.getCause();
          if (t instanceof ImageFileException) {
            rejected++;
            c[1]++;
            if (t.getMessage().contains("\n") || !t.getMessage().startsWith(file + ": ")) {
              failures.add("message not one line naming the file: " + t.getMessage());
            }
          } else {
            failures.add("leaked " + t + ": " + what);
          }
        }
        Files.delete(file);
      }
    } finally {
      pool.shutdownNow();
    }
    StringBuilder table = new StringBuilder();
    counts.forEach((k, c) -> table.append(String.format("%n  %-26s %4d files %4d rejected %4d accepted", k, c[0], c[1], c[2])));
    String summary = mutants.size() + " files: " + rejected + " rejected, " + accepted
        + " accepted" + table;
    System.out.println("fuzz: " + summary);
    assertThat(failures).as(summary).isEmpty();
    assertThat(mutants.size()).as(summary).isGreaterThanOrEqualTo(1000);
  }

  private static Object readPlanes(Path file) {
    try (ImageStack stack = ImageStack.open(file)) {
      List<FloatImage> planes = new ArrayList<>();
      for (int i = 0; i < stack.planes(); i++) {
        planes.add(stack.plane(i));
      }
      return planes;
    }
  }

  private static ExecutorService daemonPool() {
    return Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "fuzz-read");
      t.setDaemon(true);
      return t;
    });
  }

  // ---- the seed files ------------------------------------------------------------------------

  private List<Seed> seeds() throws Exception {
    List<Seed> seeds = new ArrayList<>();
    FloatImage grey = TestImages.noise(23, 17, 1, 1);
    FloatImage rgb = TestImages.noise(19, 13, 3, 2);
    LabelImage classes = new LabelImage(21, 15);
    LabelImage ids = new LabelImage(21, 15);
    for (int i = 0; i < classes.data().length; i++) {
      classes.data()[i] = (i / 7) % 3;
      ids.data()[i] = (i / 5) % 40 * 1000;
    }
    seeds.add(seed("grey8.png", false, f -> ImageFiles.writeImage(grey, f, false)));
    seeds.add(seed("grey16.png", false, f -> ImageFiles.writeImage(grey, f, true)));
    seeds.add(seed("rgb8.png", false, f -> ImageFiles.writeImage(rgb, f, false)));
    seeds.add(seed("palette.png", false, f -> ImageFiles.write(palette(false), f)));
    seeds.add(seed("bilevel.png", false, f -> ImageFiles.write(bilevel(), f)));
    seeds.add(seed("classes8.png", true, f -> ImageFiles.writeLabels(classes, f)));
    seeds.add(seed("ids16.png", true, f -> ImageFiles.writeInstances(ids, f)));
    seeds.add(seed("palette-labels.png", true, f -> ImageFiles.write(palette(true), f)));
    seeds.add(seed("grey8.tif", false, f -> ImageFiles.writeImage(grey, f, false)));
    seeds.add(seed("grey16.tif", false, f -> ImageFiles.writeImage(grey, f, true)));
    seeds.add(seed("rgb8.tif", false, f -> ImageFiles.writeImage(rgb, f, false)));
    seeds.add(seed("bilevel.tif", false, f -> ImageFiles.write(bilevel(), f)));
    seeds.add(seed("palette.tif", false, f -> ImageFiles.write(palette(false), f)));
    seeds.add(seed("palette-labels.tif", true, f -> ImageFiles.write(palette(true), f)));
    seeds.add(seed("ids32.tif", true, f -> ImageFiles.writeLabelsTiff32(ids, f)));
    float[] floats = new float[40];
    for (int i = 0; i < floats.length; i++) {
      floats[i] = (i - 10) * 0.37f;
    }
    seeds.add(seed("float.tif", false, f -> ImageFilesTest.writeFloatTiff(f, floats)));
    seeds.add(seed("uncompressed.tif", false, f -> {
      BufferedImage img = new BufferedImage(23, 17, BufferedImage.TYPE_BYTE_GRAY);
      img.getRaster().setSamples(0, 0, 23, 17, 0, ids.crop(0, 0, 23, 17, 0).data());
      assertThat(ImageIO.write(img, "tiff", f.toFile())).isTrue();
    }));
    // Stacks: an ImageJ hyperstack (2 channels x 3 slices) and an OME-TIFF (3 z x 2 c).
    seeds.add(seed("hyperstack.tif", false, f -> TestTiffs.write(f, TestTiffs.numbered(6),
        Map.of(TestTiffs.IMAGE_DESCRIPTION, "ImageJ=1.54f\nimages=6\nchannels=2\nslices=3\n"
            + "hyperstack=true\nunit=micron\n", TestTiffs.X_RESOLUTION, "4/1"))));
    seeds.add(seed("stack.ome.tif", false, f -> TestTiffs.write(f, TestTiffs.numbered(6),
        Map.of(TestTiffs.IMAGE_DESCRIPTION, TestTiffs.omeXml("XYZCT", 3, 2, 1,
            "PhysicalSizeX=\"0.5\"", null)))));
    return seeds;
  }

  private interface Writer {
    void write(Path file) throws Exception;
  }

  private Seed seed(String name, boolean labels, Writer writer) throws Exception {
    Path file = dir.resolve("seed-" + name);
    writer.write(file);
    // The seed itself must read, or the fuzzing would test nothing.
    boolean stack = name.contains("stack");
    if (stack) {
      assertThat(readPlanes(file)).as(name).asList().hasSize(3);
    } else if (labels) {
      ImageFiles.readLabels(file);
    } else {
      ImageFiles.readImage(file);
    }
    return new Seed(name, Files.readAllBytes(file), labels, name.endsWith(".png"), stack);
  }

  private static BufferedImage palette(boolean labels) {
    byte[] r = {0, (byte) 200, 10, 0}, g = {0, 30, (byte) 220, 0}, b = {0, 40, 50, (byte) 255};
    BufferedImage img = new BufferedImage(22, 14, BufferedImage.TYPE_BYTE_INDEXED,
        new IndexColorModel(8, 4, r, g, b));
    for (int i = 0; i < 22 * 14; i++) {
      img.getRaster().setSample(i % 22, i / 22, 0, labels ? (i / 9) % 4 : (i * 7) % 4);
    }
    return img;
  }

  private static BufferedImage bilevel() {
    BufferedImage img = new BufferedImage(30, 12, BufferedImage.TYPE_BYTE_BINARY);
    for (int i = 0; i < 30 * 12; i++) {
      img.getRaster().setSample(i % 30, i / 30, 0, (i * 31 / 7) % 2);
    }
    return img;
  }

  // ---- mutations -----------------------------------------------------------------------------

  private static Mutant mutate(Seed seed, Random rng) {
    byte[] b = seed.bytes().clone();
    int n = b.length;
    switch (rng.nextInt(seed.png() ? 5 : 6)) {
      case 0 -> {
        for (int k = 1 + rng.nextInt(3); k > 0; k--) {
          int at = rng.nextInt(n);
          b[at] ^= (byte) (1 << rng.nextInt(8));
        }
        return mutant(seed, "bit flips", b);
      }
      case 1 -> {
        int at = rng.nextInt(n);
        for (int k = 0, len = 1 + rng.nextInt(8); k < len && at + k < n; k++) {
          b[at + k] = (byte) rng.nextInt(256);
        }
        return mutant(seed, "byte overwrite", b);
      }
      case 2 -> {
        return new Mutant(seed, "truncation", Arrays.copyOf(b, rng.nextInt(n)), true);
      }
      case 3 -> {
        return seed.png() ? pngField(seed, b, rng) : tiffField(seed, b, rng);
      }
      case 4 -> {
        return seed.png() ? pngHugeSize(seed, b, rng) : tiffHugeSize(seed, b, rng);
      }
      default -> {
        return tiffOffsetPastEnd(seed, b, rng);
      }
    }
  }

  /**
   * A PNG mutation must be rejected when it changes the file at all: every byte of our seeds
   * lies in the signature or in a chunk (length, type, data, CRC) up to IEND.
   */
  private static Mutant mutant(Seed seed, String kind, byte[] bytes) {
    return new Mutant(seed, kind, bytes, seed.png());
  }

  /** A chunk's length, type or CRC field gets a random value. */
  private static Mutant pngField(Seed seed, byte[] b, Random rng) {
    List<Integer> chunks = pngChunks(b);
    int at = chunks.get(rng.nextInt(chunks.size()));
    int length = ByteBuffer.wrap(b, at, 4).getInt();
    int field = switch (rng.nextInt(3)) {
      case 0 -> at;
      case 1 -> at + 4;
      default -> at + 8 + length;
    };
    int value = rng.nextBoolean() ? rng.nextInt() : new int[] {0, -1, Integer.MAX_VALUE, b.length}[rng.nextInt(4)];
    ByteBuffer.wrap(b, field, 4).putInt(value);
    return new Mutant(seed, "chunk field", b, true);
  }

  /**
   * IHDR claims a huge size, with a CRC made to match: the pixel limit stops it, or, for a
   * size under the limit (up to 8000 x 8000), the pixel data running out long before.
   */
  private static Mutant pngHugeSize(Seed seed, byte[] b, Random rng) {
    boolean overLimit = rng.nextBoolean();
    int w = overLimit ? 20000 + rng.nextInt(Integer.MAX_VALUE - 20000) : 1000 + rng.nextInt(7000);
    int h = overLimit ? 20000 + rng.nextInt(Integer.MAX_VALUE - 20000) : 1000 + rng.nextInt(7000);
    ByteBuffer.wrap(b, 16, 8).putInt(w).putInt(h);
    CRC32 crc = new CRC32();
    crc.update(b, 12, 17);
    ByteBuffer.wrap(b, 29, 4).putInt((int) crc.getValue());
    return new Mutant(seed, "huge size (valid CRC)", b, true);
  }

  /** Offsets of the chunks (their length field) of a PNG. */
  private static List<Integer> pngChunks(byte[] b) {
    List<Integer> out = new ArrayList<>();
    for (int at = 8; at + 12 <= b.length; at += 12 + ByteBuffer.wrap(b, at, 4).getInt()) {
      out.add(at);
    }
    return out;
  }

  /** One IFD entry of a TIFF: its offset in the file, tag, type and count. */
  private record Entry(int at, int tag, int type, int count) {}

  private static ByteOrder order(byte[] b) {
    return b[0] == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
  }

  /** The entries of the first IFD. */
  private static List<Entry> ifd(byte[] b) {
    ByteBuffer buf = ByteBuffer.wrap(b).order(order(b));
    int ifd = buf.getInt(4);
    int count = buf.getShort(ifd) & 0xFFFF;
    List<Entry> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int at = ifd + 2 + 12 * i;
      out.add(new Entry(at, buf.getShort(at) & 0xFFFF, buf.getShort(at + 2) & 0xFFFF,
          buf.getInt(at + 4)));
    }
    return out;
  }

  private static Entry entry(byte[] b, int tag) {
    return ifd(b).stream().filter(e -> e.tag() == tag).findFirst().orElseThrow();
  }

  /**
   * An IFD entry's type, count or value field gets a random or extreme value. The file may
   * still be read (a changed resolution or software tag harms nothing), so only no crash
   * and no hang are required.
   */
  private static Mutant tiffField(Seed seed, byte[] b, Random rng) {
    List<Entry> entries = ifd(b);
    Entry e = entries.get(rng.nextInt(entries.size()));
    ByteBuffer buf = ByteBuffer.wrap(b).order(order(b));
    int[] extremes = {0, -1, Integer.MAX_VALUE, b.length, b.length + 1, 65535};
    int value = rng.nextBoolean() ? rng.nextInt() : extremes[rng.nextInt(extremes.length)];
    switch (rng.nextInt(3)) {
      case 0 -> buf.putShort(e.at() + 2, (short) (rng.nextInt(20)));
      case 1 -> buf.putInt(e.at() + 4, value);
      default -> buf.putInt(e.at() + 8, value);
    }
    return new Mutant(seed, "IFD field", b, false);
  }

  /** ImageWidth and ImageLength claim a huge size: refused by the pixel limit. */
  private static Mutant tiffHugeSize(Seed seed, byte[] b, Random rng) {
    ByteBuffer buf = ByteBuffer.wrap(b).order(order(b));
    for (int tag : new int[] {256, 257}) {
      Entry e = entry(b, tag);
      buf.putShort(e.at() + 2, (short) 4);   // LONG
      buf.putInt(e.at() + 8, 20000 + rng.nextInt(Integer.MAX_VALUE - 20000));
    }
    return new Mutant(seed, "huge size", b, true);
  }

  /** A strip offset points past the end of the file: the pixels are not there. */
  private static Mutant tiffOffsetPastEnd(Seed seed, byte[] b, Random rng) {
    ByteBuffer buf = ByteBuffer.wrap(b).order(order(b));
    Entry e = entry(b, 273);   // StripOffsets
    int past = b.length + rng.nextInt(1 << 20);
    if (e.count() == 1) {
      putValue(buf, e, e.at() + 8, past);
    } else {
      int values = buf.getInt(e.at() + 8);
      int size = e.type() == 3 ? 2 : 4;
      putValue(buf, e, values + size * rng.nextInt(e.count()), past);
    }
    return new Mutant(seed, "strip offset past end", b, true);
  }

  private static void putValue(ByteBuffer buf, Entry e, int at, int value) {
    if (e.type() == 3) {
      buf.putShort(at, (short) Math.min(value, 65535));
    } else {
      buf.putInt(at, value);
    }
  }
}
