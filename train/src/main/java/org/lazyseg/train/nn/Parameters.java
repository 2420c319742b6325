package org.lazyseg.train.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A network's parameters in a file (DJL's {@code Block.saveParameters} format). */
public final class Parameters {
  private Parameters() {}

  /**
   * Loads parameters written by {@link #save} into a fresh block.
   *
   * @throws java.io.UncheckedIOException naming the file when it is missing, cut short or not
   *     a parameter file of this network (a damaged checkpoint is bad input, not a bug)
   */
  public static void load(Block block, Path file, NDManager manager) {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file));
        DataInputStream data = new DataInputStream(in)) {
      block.loadParameters(manager, data);
    } catch (MalformedModelException | IOException | IllegalArgumentException
        | IllegalStateException e) {
      throw new java.io.UncheckedIOException(file + ": damaged or not a parameter file of this"
          + " network (" + e + ")", e instanceof IOException io ? io : new IOException(e));
    }
  }

  /** Writes the parameters of an initialised block to {@code file}. */
  public static void save(Block block, Path file) throws IOException {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file));
        DataOutputStream data = new DataOutputStream(out)) {
      block.saveParameters(data);
    }
  }
}
