package org.lazyseg.train.method;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.lazyseg.train.RunFolder;

/** The methods the product knows, by name, with their options as text. */
public final class Methods {
  /** Name to factory; a factory rejects options it does not know. */
  private static final Map<String, Function<Map<String, String>, Method>> FACTORIES =
      new LinkedHashMap<>();

  static {
    FACTORIES.put(Supervised.NAME, Supervised::fromOptions);
    FACTORIES.put("multitask", LazyMultiTask::fromOptions);
    FACTORIES.put("weak-only", o -> noOptions("weak-only", o, new WeakOnly()));
    FACTORIES.put(PseudoLabelTraining.NAME,
        o -> noOptions(PseudoLabelTraining.NAME, o, new PseudoLabelTraining()));
    FACTORIES.put(RecursiveApproximation.NAME, o -> new RecursiveApproximation(
        RecursiveApproximation.Settings.parse(o)));
    FACTORIES.put(ObjectSizes.NAME, ObjectSizes::fromOptions);
    FACTORIES.put(ImageTags.NAME, ImageTags::create);
  }

  private Methods() {}

  /** Every method with its default options. */
  public static List<Method> all() {
    return FACTORIES.keySet().stream().map(Methods::byName).toList();
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
    Function<Map<String, String>, Method> factory = FACTORIES.get(name);
    if (factory == null) {
      throw new IllegalArgumentException("unknown method '" + name + "' (known: "
          + String.join(", ", FACTORIES.keySet()) + ")");
    }
    return factory.apply(options == null ? Map.of() : options);
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
    TrainingJob.Record r = RunFolder.read(record, TrainingJob.Record.class);
    return create(r.method(), r.methodOptions());
  }

  private static Method noOptions(String name, Map<String, String> options, Method method) {
    if (!options.isEmpty()) {
      throw new IllegalArgumentException("method '" + name + "' takes no options, got "
          + options.keySet());
    }
    return method;
  }
}
