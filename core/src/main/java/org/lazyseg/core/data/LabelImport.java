package org.lazyseg.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.Components;

/**
 * Label images made with other tools, written into a {@link Dataset} folder as strong masks,
 * partial masks or scribbles (what {@code lazyseg import} does). A label image's value means
 * one of: unlabelled, background, interface (a scribble pixel between touching objects) or a
 * foreground class; {@link Rule}s say which, the user's first, then the tool's defaults:
 *
 * <ul>
 *   <li>Labkit ({@link Tool#LABKIT}): its "Save Labeling" to a .tif writes the label indices
 *       and, beside them, {@code NAME.tif.labels}, the label names of each index (JSON, {@code
 *       {"labelSets": [[], ["background"], ["foreground"]]}}). Index 0 (no label) is
 *       unlabelled, the label {@code background} background, a label named as a class of the
 *       dataset that class ({@code foreground} too in a one-class dataset), {@code interface}
 *       interface. Without the .labels file only 0 has a default.
 *   <li>ilastik ({@link Tool#ILASTIK}): "Simple Segmentation" gives each pixel its 1-based
 *       label number: 1 is taken as background, 2.. as the dataset's classes in order, 0 (which
 *       a label export may hold) as unlabelled.
 *   <li>napari ({@link Tool#NAPARI}): a Labels layer holds 0 and object ids: 0 is background in
 *       a strong mask, unlabelled in a partial mask or scribbles; every other value is an object
 *       of the dataset's one class (its id is kept as the instance id), or, with {@code --as
 *       scribbles}, interface.
 * </ul>
 *
 * <p>How each label kind stores the meanings (the dataset's conventions, see {@link Dataset}):
 * a strong mask (masks/) gives every pixel background (0) or a class, so an unlabelled pixel
 * is an error; a partial mask (partial/) holds 0 for rest (unlabelled and background alike: it
 * has no background label) and the class, and interface pixels go to scribbles/ (1) beside
 * it; scribbles (scribbles/) hold 1 for interface and 0 for the rest. With classes.txt, classes
 * are stored by their id (their line in classes.txt) and napari's object ids of a strong mask go
 * to instances/; without it, the dataset has one class, stored as the object id (napari) or 1
 * (Labkit, ilastik: the dataset splits it into 4-connected objects where it needs instances).
 *
 * <p>Every label file must match an image of the dataset by its file name without extension
 * (less {@link Options#suffix}), have its size, and have a meaning for each of its values;
 * existing labels are not replaced unless asked ({@link Options#overwrite}; a file that already
 * holds the same labels is left as it is). Every problem is found before anything is written,
 * and one {@link DatasetException} names every bad file.
 */
public final class LabelImport {
  private LabelImport() {}

  /** The tool a label image comes from: it sets the default meaning of the values. */
  public enum Tool {
    LABKIT, ILASTIK, NAPARI;

    /** The name on the command line. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the tools for another word */
    public static Tool parse(String s) {
      for (Tool t : values()) {
        if (t.id().equals(s.toLowerCase(Locale.ROOT))) {
          return t;
        }
      }
      throw new IllegalArgumentException("unknown tool '" + s + "' (labkit, ilastik or napari)");
    }
  }

  /** The label kind written. */
  public enum Kind {
    MASK("masks"), PARTIAL("partial"), SCRIBBLES("scribbles");

    private final String folder;

    Kind(String folder) {
      this.folder = folder;
    }

    /** The dataset's folder of this kind. */
    public String folder() {
      return folder;
    }

    /** The name on the command line. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the kinds for another word */
    public static Kind parse(String s) {
      for (Kind k : values()) {
        if (k.id().equals(s.toLowerCase(Locale.ROOT)) || k.folder.equals(s.toLowerCase(Locale.ROOT))) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown label kind '" + s + "' (mask, partial or scribbles)");
    }
  }

  /** What a label value stands for. */
  public enum Meaning { UNLABELLED, BACKGROUND, INTERFACE, CLASS }

  /** A meaning; for {@link Meaning#CLASS}, with the class's name. */
  public record Target(Meaning meaning, String className) {
    static final Target UNLABELLED = new Target(Meaning.UNLABELLED, null);
    static final Target BACKGROUND = new Target(Meaning.BACKGROUND, null);
    static final Target INTERFACE = new Target(Meaning.INTERFACE, null);

    static Target of(String word) {
      return switch (word.toLowerCase(Locale.ROOT)) {
        case "unlabelled", "unlabeled" -> UNLABELLED;
        case "background" -> BACKGROUND;
        case "interface" -> INTERFACE;
        default -> new Target(Meaning.CLASS, word);
      };
    }

    @Override
    public String toString() {
      return meaning == Meaning.CLASS ? className : meaning.name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One rule of {@code --map}, {@code VALUES=MEANING}: VALUES is a value (3), a range (3-7), a
   * Labkit label name, or {@code *} (every value that no other rule names); MEANING is {@code
   * unlabelled}, {@code background}, {@code interface} or a class name.
   *
   * @param min the least value covered (-1 for a label name or {@code *})
   * @param max the largest value covered
   * @param label the Labkit label name covered, else null
   */
  public record Rule(long min, long max, String label, Target target) {
    /** Whether this is the {@code *} rule. */
    boolean isRest() {
      return min < 0 && label == null;
    }

    boolean covers(long value, Set<String> labels) {
      if (label != null) {
        return labels != null && labels.size() == 1 && labels.contains(label);
      }
      return min <= value && value <= max;
    }

    /** @throws IllegalArgumentException naming the mistake */
    public static Rule parse(String text) {
      int eq = text.indexOf('=');
      if (eq <= 0 || eq == text.length() - 1) {
        throw new IllegalArgumentException("--map entry '" + text + "' is not VALUES=MEANING"
            + " (e.g. 0=unlabelled, 1=background, 2-9=gland, *=gland)");
      }
      String from = text.substring(0, eq).strip(), to = text.substring(eq + 1).strip();
      Target target = Target.of(to);
      if (from.equals("*")) {
        return new Rule(-1, -1, null, target);
      }
      if (from.matches("\\d{1,10}")) {
        long v = Long.parseLong(from);
        return new Rule(v, v, null, target);
      }
      if (from.matches("\\d{1,10}-\\d{1,10}")) {
        int dash = from.indexOf('-');
        long a = Long.parseLong(from.substring(0, dash)), b = Long.parseLong(from.substring(dash + 1));
        if (a > b) {
          throw new IllegalArgumentException("--map entry '" + text + "': range " + from
              + " is empty (write the smaller value first)");
        }
        return new Rule(a, b, null, target);
      }
      if (from.startsWith("-")) {
        throw new IllegalArgumentException("--map entry '" + text + "': label values are >= 0");
      }
      return new Rule(-1, -1, from, target);
    }

    @Override
    public String toString() {
      String from = label != null ? label : isRest() ? "*" : min == max ? Long.toString(min) : min + "-" + max;
      return from + "=" + target;
    }
  }

  /**
   * What to import and how.
   *
   * @param map the user's rules, before the tool's defaults
   * @param suffix a text that ends every label file's name before its extension and is not
   *     part of the image id ("" for none), e.g. {@code _labels} for {@code a_labels.tif}
   * @param overwrite replace existing labels (else they are refused)
   */
  public record Options(Tool tool, Kind kind, List<Rule> map, String suffix, boolean overwrite) {
    /** @throws IllegalArgumentException for rules the kind or tool cannot take */
    public Options {
      map = List.copyOf(map);
      suffix = suffix == null ? "" : suffix;
      for (Rule r : map) {
        Meaning m = r.target().meaning();
        if (kind == Kind.MASK && m == Meaning.INTERFACE) {
          throw new IllegalArgumentException("--map " + r + ": a strong mask has no interface"
              + " pixels (scribbles hold them): import them --as partial or --as scribbles");
        }
        if (kind == Kind.SCRIBBLES && m == Meaning.CLASS) {
          throw new IllegalArgumentException("--map " + r + ": scribbles mark the interfaces"
              + " between touching objects, not classes: map values to interface, unlabelled"
              + " or background (unknown word '" + r.target().className() + "')");
        }
        if (r.label() != null && tool != Tool.LABKIT) {
          throw new IllegalArgumentException("--map " + r + ": '" + r.label() + "' is not a"
              + " value; label names are for Labkit's .labels files (" + tool.id()
              + " label images hold numbers: give them, e.g. 2=" + r.target() + ")");
        }
      }
    }
  }

  /**
   * What an import did.
   *
   * @param images label images imported
   * @param written files written (masks/, partial/, scribbles/, instances/)
   * @param unchanged files that already held the same labels
   * @param notes lines worth telling the user (what a kind cannot store, renumbered ids)
   */
  public record Summary(int images, int written, int unchanged, List<String> notes) {
    @Override
    public String toString() {
      return images + (images == 1 ? " label image" : " label images") + " imported: "
          + written + (written == 1 ? " file" : " files") + " written"
          + (unchanged > 0 ? ", " + unchanged + " unchanged (already there)" : "");
    }
  }

  /** The extensions of label files: lossless formats only. */
  private static final List<String> LABEL_EXTENSIONS = List.of("png", "tif", "tiff");

  /**
   * Imports the label images of {@code from} (a folder, or one file) into {@code dataset}.
   *
   * @throws DatasetException naming every bad file (nothing is written then)
   */
  public static Summary run(Path from, Dataset dataset, Options options, ProgressCallback progress) {
    Problems problems = new Problems();
    Map<String, Path> files = labelFiles(from, dataset, options, problems);
    Classes classes = Classes.of(dataset, options, problems);
    if (classes.wrong) {
      problems.throwIfAny();   // the values of every file would be wrong too
    }

    // Pass 1: every check, nothing written; pass 2 converts again and writes.
    List<String> notes = new ArrayList<>();
    if (classes.renamed != null) {
      notes.add(classes.renamed);
    }
    long background = 0;
    int done = 0;
    for (Map.Entry<String, Path> e : files.entrySet()) {
      Sample sample = dataset.sample(e.getKey()).orElseThrow();
      Converted c = problems.check(() -> convert(e.getValue(), sample, dataset.dir(), options, classes));
      if (c != null) {
        background += c.backgroundInPartial;
        for (Output o : c.outputs) {
          problems.run(() -> checkTarget(o, e.getValue(), options.overwrite()));
        }
      }
      progress.progress(++done, 2 * files.size(), e.getKey());
    }
    problems.throwIfAny();

    int written = 0, unchanged = 0;
    for (Map.Entry<String, Path> e : files.entrySet()) {
      Sample sample = dataset.sample(e.getKey()).orElseThrow();
      Converted c = convert(e.getValue(), sample, dataset.dir(), options, classes);
      for (Output o : c.outputs) {
        if (o.labels == null) {
          deleteStale(o.file);
        } else if (sameLabels(o.file, o.labels)) {
          unchanged++;
        } else {
          if (o.instanceIds) {
            ImageFiles.writeInstances(o.labels, o.file);
          } else {
            ImageFiles.writeLabels(o.labels, o.file);
          }
          written++;
        }
      }
      if (c.renumbered) {
        notes.add(e.getValue() + ": object ids above 65535 renumbered 1..n (a 16-bit PNG holds"
            + " no more)");
      }
      progress.progress(++done, 2 * files.size(), e.getKey());
    }
    if (background > 0) {
      notes.add(background + " pixels labelled background are stored as rest (0) in partial/:"
          + " a partial mask has no background label");
    }
    return new Summary(files.size(), written, unchanged, notes);
  }

  // ---- which files -------------------------------------------------------------------------

  /** The label files by image id; problems for files that match no image or repeat an id. */
  private static Map<String, Path> labelFiles(Path from, Dataset dataset, Options options,
      Problems problems) {
    List<Path> candidates;
    if (Files.isRegularFile(from)) {
      candidates = List.of(from);
    } else if (Files.isDirectory(from)) {
      for (String folder : List.of(options.kind().folder(), "scribbles", "instances")) {
        if (same(from, dataset.dir().resolve(folder))) {
          throw new DatasetException(from + ": is the dataset's own " + folder + "/ folder,"
              + " which the import writes; export the labels to another folder");
        }
      }
      candidates = Dataset.list(from);
    } else {
      throw new DatasetException(from, "no such file or folder");
    }
    Map<String, Path> out = new TreeMap<>();
    for (Path f : candidates) {
      String ext = Dataset.extension(f);
      if (ext.equals("jpg") || ext.equals("jpeg")) {
        problems.add(new DatasetException(f, "JPEG changes pixel values (lossy): export the"
            + " labels as PNG or TIFF"));
        continue;
      }
      if (ext.equals("labeling")) {
        problems.add(new DatasetException(f, "Labkit's .labeling files are not read: save the"
            + " labeling with a file name ending in .tif (Labkit then writes the label indices"
            + " and NAME.tif.labels, their names)"));
        continue;
      }
      if (!LABEL_EXTENSIONS.contains(ext)) {
        continue;   // .labels files, notes, ...
      }
      String stem = Dataset.stem(f);
      String id = !options.suffix().isEmpty() && stem.endsWith(options.suffix())
          && stem.length() > options.suffix().length()
          ? stem.substring(0, stem.length() - options.suffix().length()) : stem;
      if (dataset.sample(id).isEmpty()) {
        problems.add(new DatasetException(f, "no image with id '" + id + "' in "
            + dataset.dir().resolve("images") + " (ids are file names without extension"
            + (options.suffix().isEmpty() ? "; --suffix strips a text after the id"
                : ", less the suffix '" + options.suffix() + "'") + ")"));
        continue;
      }
      Path before = out.put(id, f);
      if (before != null) {
        problems.add(new DatasetException(before + " and " + f.getFileName()
            + ": both are labels of image '" + id + "' (keep one)"));
      }
    }
    if (out.isEmpty() && problems.isEmpty()) {
      throw new DatasetException(from, "no label images (.png, .tif or .tiff)");
    }
    return out;
  }

  // ---- which classes -----------------------------------------------------------------------

  /** The dataset's classes as the import stores them. */
  private static final class Classes {
    final boolean classIds;
    final List<String> names;
    /** A note when a one-class dataset's class is mapped to under another name. */
    String renamed;
    /** Whether --map names classes the dataset cannot store. */
    boolean wrong;

    Classes(boolean classIds, List<String> names) {
      this.classIds = classIds;
      this.names = names;
    }

    static Classes of(Dataset dataset, Options options, Problems problems) {
      Classes c = new Classes(dataset.labelsHoldClassIds(), dataset.classNames());
      Set<String> named = new LinkedHashSet<>();
      for (Rule r : options.map()) {
        if (r.target().meaning() == Meaning.CLASS) {
          named.add(r.target().className());
        }
      }
      Path classesFile = dataset.dir().resolve("classes.txt");
      if (c.classIds) {
        for (String name : named) {
          if (!c.names.contains(name)) {
            c.wrong = true;
            problems.add(new DatasetException(classesFile, "--map names class '" + name
                + "', which it does not list (" + String.join(", ", c.names) + "); a value"
                + " that means none of them is unlabelled or background"));
          }
        }
      } else if (named.size() > 1) {
        c.wrong = true;
        problems.add(new DatasetException(dataset.dir() + ": --map names " + named.size()
            + " classes (" + String.join(", ", named) + "), but a dataset without classes.txt"
            + " has one; write " + classesFile + " (one class name per line) first"));
      } else if (named.size() == 1 && !named.contains(c.names.get(0))) {
        c.renamed = dataset.dir() + " has one class (no classes.txt), named '" + c.names.get(0)
            + "': '" + named.iterator().next() + "' is imported as it";
      }
      return c;
    }

    /** The value a class target is stored as: its id, or 1 in a one-class dataset. */
    int id(Target t) {
      return classIds ? names.indexOf(t.className()) + 1 : 1;
    }
  }

  // ---- the meaning of each value -----------------------------------------------------------

  /** The tool's default rules for the dataset's classes: explicit ones, then a '*' one. */
  static List<Rule> defaults(Options options, List<String> classNames, boolean haveLabelNames) {
    List<Rule> rules = new ArrayList<>();
    Kind kind = options.kind();
    boolean oneClass = classNames.size() == 1;
    switch (options.tool()) {
      case LABKIT -> {
        rules.add(new Rule(0, 0, null, Target.UNLABELLED));
        if (haveLabelNames) {
          if (kind == Kind.SCRIBBLES) {
            rules.add(new Rule(-1, -1, "interface", Target.INTERFACE));
            rules.add(new Rule(-1, -1, null, Target.UNLABELLED));
          } else {
            rules.add(new Rule(-1, -1, "background", Target.BACKGROUND));
            for (String c : classNames) {
              rules.add(new Rule(-1, -1, c, new Target(Meaning.CLASS, c)));
            }
            if (oneClass) {
              rules.add(new Rule(-1, -1, "foreground", new Target(Meaning.CLASS, classNames.get(0))));
            }
            if (kind == Kind.PARTIAL) {
              rules.add(new Rule(-1, -1, "interface", Target.INTERFACE));
            }
          }
        }
      }
      case ILASTIK -> {
        rules.add(new Rule(0, 0, null, Target.UNLABELLED));
        if (kind != Kind.SCRIBBLES) {
          rules.add(new Rule(1, 1, null, Target.BACKGROUND));
          for (int k = 0; k < classNames.size(); k++) {
            rules.add(new Rule(k + 2, k + 2, null, new Target(Meaning.CLASS, classNames.get(k))));
          }
        }
      }
      case NAPARI -> {
        rules.add(new Rule(0, 0, null, kind == Kind.MASK ? Target.BACKGROUND : Target.UNLABELLED));
        if (kind == Kind.SCRIBBLES) {
          rules.add(new Rule(-1, -1, null, Target.INTERFACE));
        } else if (oneClass) {
          rules.add(new Rule(-1, -1, null, new Target(Meaning.CLASS, classNames.get(0))));
        }
      }
      default -> throw new IllegalStateException();
    }
    return rules;
  }

  /**
   * The target of {@code value}: the user's explicit rules in order, the defaults' explicit
   * ones, the user's '*', the defaults' '*'; null when none covers it.
   */
  private static Target resolve(long value, Set<String> labels, List<Rule> user, List<Rule> defaults) {
    for (List<Rule> rules : List.of(user, defaults)) {
      for (Rule r : rules) {
        if (!r.isRest() && r.covers(value, labels)) {
          return r.target();
        }
      }
    }
    for (List<Rule> rules : List.of(user, defaults)) {
      for (Rule r : rules) {
        if (r.isRest()) {
          return r.target();
        }
      }
    }
    return null;
  }

  /** Labkit's label names of each index, from {@code NAME.tif.labels}; null without that file. */
  static List<Set<String>> labkitLabelSets(Path labelFile) {
    Path names = labelFile.resolveSibling(labelFile.getFileName() + ".labels");
    if (!Files.isRegularFile(names)) {
      return null;
    }
    try {
      JsonNode sets = new ObjectMapper().readTree(names.toFile()).get("labelSets");
      if (sets == null || !sets.isArray()) {
        throw new DatasetException(names, "no \"labelSets\" list (Labkit writes"
            + " {\"labelSets\": [[], [\"background\"], ...]})");
      }
      List<Set<String>> out = new ArrayList<>();
      for (JsonNode set : sets) {
        Set<String> labels = new TreeSet<>();
        for (JsonNode name : set) {
          labels.add(name.asText());
        }
        out.add(labels);
      }
      return out;
    } catch (IOException e) {
      throw new DatasetException(names, "unreadable Labkit label names (" + e.getMessage() + ")");
    }
  }

  // ---- converting ----------------------------------------------------------------------------

  /** A label image to write ({@code labels} null: a stale file to delete). */
  private record Output(Path file, LabelImage labels, boolean instanceIds) {}

  private record Converted(List<Output> outputs, long backgroundInPartial, boolean renumbered) {}

  private static Converted convert(Path file, Sample sample, Path dir, Options options,
      Classes classes) {
    requireOnePlane(file);
    LabelImage in;
    try {
      in = ImageFiles.readLabels(file);
    } catch (ImageFiles.ImageFileException e) {
      throw new DatasetException(e.getMessage(), e);
    }
    int[] size = sample.imageSize();
    if (!in.sameSize(size[0], size[1])) {
      throw new DatasetException(file, "size " + in.width() + "x" + in.height()
          + " differs from its image " + sample.image() + " (" + size[0] + "x" + size[1] + ")");
    }
    List<Set<String>> labelSets = options.tool() == Tool.LABKIT ? labkitLabelSets(file) : null;
    List<Rule> defaults = defaults(options, classes.names, labelSets != null);

    // The meaning of each value present.
    Map<Integer, Long> counts = counts(in.data(), file);
    Map<Integer, Target> meaning = new HashMap<>();
    List<String> unmapped = new ArrayList<>();
    for (Map.Entry<Integer, Long> e : counts.entrySet()) {
      int v = e.getKey();
      Set<String> labels = labelSets == null ? null
          : v < labelSets.size() ? labelSets.get(v) : Set.of();
      if (labelSets != null && v >= labelSets.size()) {
        throw new DatasetException(file, "value " + v + " has no entry in its .labels file ("
            + labelSets.size() + " label sets, values 0.." + (labelSets.size() - 1) + ")");
      }
      Target t = resolve(v, labels, options.map(), defaults);
      if (t == null) {
        unmapped.add(v + (labels != null ? " (Labkit label" + (labels.size() == 1 ? " " : "s ")
            + String.join(" + ", labels.stream().map(n -> "'" + n + "'").toList()) + ")" : "")
            + ": " + e.getValue() + " pixels");
      } else {
        meaning.put(v, t);
      }
    }
    if (!unmapped.isEmpty()) {
      throw new DatasetException(file, "values without a meaning: " + String.join("; ", unmapped)
          + "; give each one with --map VALUE=MEANING (unlabelled, background"
          + (options.kind() != Kind.MASK ? ", interface" : "")
          + (options.kind() != Kind.SCRIBBLES ? " or a class: " + String.join(", ", classes.names) : "")
          + ")");
    }

    Kind kind = options.kind();
    boolean ids = options.tool() == Tool.NAPARI;
    int n = in.data().length;
    int[] main = new int[n];
    int[] instances = kind == Kind.MASK && ids && classes.classIds ? new int[n] : null;
    int[] scribbles = kind == Kind.PARTIAL ? new int[n] : null;
    long unlabelled = 0, background = 0, interfaces = 0;
    Set<Integer> unlabelledValues = new TreeSet<>();
    int[] d = in.data();
    for (int i = 0; i < n; i++) {
      Target t = meaning.get(d[i]);
      switch (t.meaning()) {
        case UNLABELLED -> {
          if (kind == Kind.MASK) {
            unlabelled++;
            unlabelledValues.add(d[i]);
          }
        }
        case BACKGROUND -> background++;
        case INTERFACE -> {
          interfaces++;
          if (kind == Kind.SCRIBBLES) {
            main[i] = 1;
          } else {
            scribbles[i] = 1;
          }
        }
        case CLASS -> {
          main[i] = classes.classIds ? classes.id(t) : ids ? d[i] : 1;
          if (instances != null) {
            instances[i] = d[i];
          }
        }
        default -> throw new IllegalStateException();
      }
    }
    if (unlabelled > 0) {
      throw new DatasetException(file, unlabelled + " pixels are unlabelled (value"
          + (unlabelledValues.size() == 1 ? " " : "s ") + unlabelledValues.toString().replaceAll("[\\[\\]]", "")
          + "), but a strong mask gives every pixel background or a class: import sparse labels"
          + " --as partial, or map the value to background (--map "
          + unlabelledValues.iterator().next() + "=background)");
    }

    String id = sample.id();
    List<Output> outputs = new ArrayList<>();
    boolean renumbered = false;
    LabelImage mainImage = new LabelImage(in.width(), in.height(), main);
    boolean mainIds = ids && !classes.classIds && kind != Kind.SCRIBBLES;
    if (mainIds && mainImage.max() > ImageFiles.MAX_PNG_LABEL) {
      Components.renumber(mainImage);
      renumbered = true;
    }
    outputs.add(new Output(dir.resolve(kind.folder()).resolve(id + ".png"), mainImage, mainIds));
    if (instances != null) {
      LabelImage inst = new LabelImage(in.width(), in.height(), instances);
      if (inst.max() > ImageFiles.MAX_PNG_LABEL) {
        Components.renumber(inst);
        renumbered = true;
      }
      outputs.add(new Output(dir.resolve("instances").resolve(id + ".png"), inst, true));
    } else if (kind == Kind.MASK && classes.classIds) {
      // An instance image of the old mask would contradict the new one.
      Path stale = dir.resolve("instances").resolve(id + ".png");
      if (Files.exists(stale)) {
        outputs.add(new Output(stale, null, false));
      }
    }
    if (scribbles != null && interfaces > 0) {
      outputs.add(new Output(dir.resolve("scribbles").resolve(id + ".png"),
          new LabelImage(in.width(), in.height(), scribbles), false));
    }
    return new Converted(outputs, kind == Kind.PARTIAL ? background : 0, renumbered);
  }

  /** Pixels per value, ascending; a negative value is an error. */
  private static Map<Integer, Long> counts(int[] data, Path file) {
    int min = 0, max = 0;
    for (int v : data) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    if (min < 0) {
      throw new DatasetException(file, "negative label value " + min + " (label values are >= 0)");
    }
    Map<Integer, Long> out = new TreeMap<>();
    if (max <= (1 << 22)) {   // usual ids: a table; huge ones: a map
      long[] n = new long[max + 1];
      for (int v : data) {
        n[v]++;
      }
      for (int v = 0; v <= max; v++) {
        if (n[v] > 0) {
          out.put(v, n[v]);
        }
      }
    } else {
      for (int v : data) {
        out.merge(v, 1L, Long::sum);
      }
    }
    return out;
  }

  /** A TIFF of several planes (a 3-D labels layer, a time series) is refused, not cut to its first. */
  private static void requireOnePlane(Path file) {
    String ext = Dataset.extension(file);
    if (!ext.equals("tif") && !ext.equals("tiff")) {
      return;
    }
    int planes = 1;
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers != null && readers.hasNext()) {
        ImageReader reader = readers.next();
        try {
          reader.setInput(in);
          planes = reader.getNumImages(true);
        } finally {
          reader.dispose();
        }
      }
    } catch (IOException | RuntimeException e) {
      return;   // the reading that follows names the problem
    }
    if (planes > 1) {
      throw new DatasetException(file, "a stack of " + planes + " planes; import takes 2-D"
          + " label images, one per image (save each plane as its own file)");
    }
  }

  // ---- writing ---------------------------------------------------------------------------------

  /** Refuses a target that holds other labels, unless overwriting. */
  private static void checkTarget(Output o, Path source, boolean overwrite) {
    if (overwrite || !Files.exists(o.file)) {
      return;
    }
    if (o.labels == null) {
      throw new DatasetException(o.file, "would no longer match the mask imported from "
          + source + "; delete it, or pass --overwrite to have it deleted");
    }
    if (!sameLabels(o.file, o.labels)) {
      throw new DatasetException(o.file, "holds labels already, other than those of " + source
          + "; pass --overwrite to replace them");
    }
  }

  private static boolean sameLabels(Path file, LabelImage labels) {
    if (!Files.isRegularFile(file)) {
      return false;
    }
    try {
      LabelImage old = ImageFiles.readLabels(file);
      return old.sameSize(labels.width(), labels.height())
          && Arrays.equals(old.data(), labels.data());
    } catch (ImageFiles.ImageFileException e) {
      return false;
    }
  }

  private static void deleteStale(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new DatasetException(file, "cannot delete (" + e.getMessage() + ")");
    }
  }

  private static boolean same(Path a, Path b) {
    try {
      return Files.exists(b) && Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }
}
