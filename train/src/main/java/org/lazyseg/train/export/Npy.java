package org.lazyseg.train.export;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * NumPy's {@code .npy} format (version 1.0) for little-endian float32 arrays in C order: the
 * test tensors of an exported model. Hand-written because the format is a 10-byte preamble and
 * one line of header, and no library in our stack writes it.
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

  /** A float32 array: its shape and its values in C order. */
  public record Array(int[] shape, float[] data) {
    public Array {
      long n = 1;
      for (int s : shape) {
        n *= s;
      }
      if (n != data.length) {
        throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n
            + " values, not " + data.length);
      }
    }
  }

  private Npy() {}

  /** The file's bytes for {@code array}. */
  public static byte[] bytes(Array array) {
    String shape = Arrays.stream(array.shape()).mapToObj(Integer::toString)
        .collect(Collectors.joining(", ", "(", array.shape().length == 1 ? ",)" : ")"));
    StringBuilder header = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': ")
        .append(shape).append(", }");
    // The preamble, header and newline together fill a multiple of 64 bytes (the format's rule).
    int unpadded = MAGIC.length + 2 + header.length() + 1;
    header.append(" ".repeat((64 - unpadded % 64) % 64)).append('\n');
    byte[] h = header.toString().getBytes(StandardCharsets.US_ASCII);
    ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 2 + h.length + 4 * array.data().length)
        .order(ByteOrder.LITTLE_ENDIAN);
    out.put(MAGIC).putShort((short) h.length).put(h);
    out.asFloatBuffer().put(array.data());
    return out.array();
  }

  /** Reads a file that {@link #bytes} wrote (float32, little-endian, C order). */
  public static Array read(Path file) throws IOException {
    ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    byte[] magic = new byte[MAGIC.length];
    in.get(magic);
    if (!Arrays.equals(Arrays.copyOf(magic, 6), Arrays.copyOf(MAGIC, 6))) {
      throw new IOException(file + ": not a .npy file");
    }
    int length = in.getShort() & 0xFFFF;
    byte[] h = new byte[length];
    in.get(h);
    String header = new String(h, StandardCharsets.US_ASCII);
    Matcher m = SHAPE.matcher(header);
    if (!header.contains("'<f4'") || header.contains("'fortran_order': True") || !m.find()) {
      throw new IOException(file + ": only little-endian float32 arrays in C order, not "
          + header.trim());
    }
    int[] shape = Arrays.stream(m.group(1).split(",")).map(String::trim)
        .filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
    float[] data = new float[in.remaining() / 4];
    in.asFloatBuffer().get(data);
    return new Array(shape, data);
  }
}
