package org.lazyseg.train.nn;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** TorchScript modules shipped as resources next to the classes that run them. */
final class ScriptModules {
  private ScriptModules() {}

  /**
   * Loads the resource {@code name} next to {@code owner}. The module gets a base manager of
   * its own that is never closed: callers keep it as long as the JVM.
   */
  static PtSymbolBlock load(Class<?> owner, String name) {
    return load(owner, name, NDManager.newBaseManager());
  }

  /** Loads the resource {@code name} next to {@code owner} into {@code manager}. */
  static PtSymbolBlock load(Class<?> owner, String name, NDManager manager) {
    try (InputStream in = owner.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name + " next to "
            + owner.getName());
      }
      return JniUtils.loadModule((PtNDManager) manager, in, false, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
