package org.lazyseg.train.method;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.lazyseg.train.RunFolder;

/**
 * The methods on the class path, by name. A method is found through
 * {@link java.util.ServiceLoader}: a class implementing {@link Method} with a public no-argument
 * constructor (its defaults), named on a line of
 * {@code META-INF/services/org.lazyseg.train.method.Method}.
 */
public final class Methods {
  private Methods() {}

  /** Every method with its default settings, in the order of the service files. */
  public static List<Method> all() {
    return List.copyOf(byName().values());
  }

  private static Map<String, Method> byName() {
    Map<String, Method> out = new LinkedHashMap<>();
    for (Method m : ServiceLoader.load(Method.class, Methods.class.getClassLoader())) {
      Method before = out.putIfAbsent(m.name(), m);
      if (before != null && before.getClass() != m.getClass()) {
        throw new IllegalStateException("two methods are called '" + m.name() + "': "
            + before.getClass().getName() + " and " + m.getClass().getName());
      }
    }
    return out;
  }

  /**
   * The label kinds an annotator made that some training image of {@code set} has (pseudo
   * masks are computed, so they do not count).
   */
  public static java.util.Set<org.lazyseg.core.data.LabeledImage.Kind> annotatedKinds(
      org.lazyseg.core.data.TrainingSet set) {
    java.util.Set<org.lazyseg.core.data.LabeledImage.Kind> kinds = set.kinds();
    kinds.remove(org.lazyseg.core.data.LabeledImage.Kind.PSEUDO);
    return kinds;
  }

  /**
   * The method to train when none is named: {@value MixedLabels#NAME} when the training
   * images hold more than one kind of label (it learns from every kind), else
   * {@value Supervised#NAME}.
   */
  public static String defaultFor(org.lazyseg.core.data.TrainingSet set) {
    return defaultFor(annotatedKinds(set));
  }

  /** {@link #defaultFor(org.lazyseg.core.data.TrainingSet)} of these label kinds. */
  public static String defaultFor(java.util.Set<org.lazyseg.core.data.LabeledImage.Kind> kinds) {
    return kinds.size() > 1 ? MixedLabels.NAME : Supervised.NAME;
  }

  /** The method called {@code name} with default options; the message lists the known ones. */
  public static Method byName(String name) {
    return create(name, Map.of());
  }

  /**
   * The method called {@code name} with the given options (e.g. {@code samples=2}).
   *
   * @throws IllegalArgumentException for an unknown name or option, or a bad value
   */
  public static Method create(String name, Map<String, String> options) {
    Map<String, Method> known = byName();
    Method method = known.get(name);
    if (method == null) {
      throw new IllegalArgumentException("unknown method '" + name + "' (known: "
          + String.join(", ", known.keySet()) + ")");
    }
    return method.configure(options == null ? Map.of() : options);
  }

  /**
   * The method a run was trained with, from its training-data.json; supervised for a run
   * folder without one (trained through the engine directly).
   */
  public static Method ofRun(Path runDir) {
    Path record = runDir.resolve(TrainingJob.RECORD_FILE);
    if (!Files.isRegularFile(record)) {
      return new Supervised();
    }
    return of(RunFolder.read(record, TrainingJob.Record.class));
  }

  /** The method a run's record names, with its recorded settings; supervised for null. */
  public static Method of(TrainingJob.Record record) {
    return record == null ? new Supervised()
        : create(record.method(), record.methodOptions());
  }
}
