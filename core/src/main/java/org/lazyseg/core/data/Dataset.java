package org.lazyseg.core.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.lazyseg.core.image.ImageFiles;

/**
 * A dataset folder, the product's public contract for training and test data:
 *
 * <pre>
 * images/ID.(png|tif|tiff|jpg|jpeg)  required; one sample per file, ID = file name without
 *                           extension (f.ome.tif: f); of a stack, the first plane
 * masks/ID.png              strong label (see classes.txt for what its values mean)
 * partial/ID.png            partial mask: 0 = rest, &gt;0 = class id (instance id with one class)
 * pseudo/ID.png             pseudo mask (GrabCut from the partial mask, the PL baseline): as masks/
 * scribbles/ID.png          separation scribbles: nonzero = interface pixel
 * instances/ID.png          instance ids, only with classes.txt
 * sizes.csv                 id,size
 * tags.csv                  id,CLASS1,CLASS2,...  one 0/1 column per foreground class
 * split.csv                 id,split; ids absent from it (or no file) are "train"
 * classes.txt               one foreground class name per line
 * </pre>
 *
 * With classes.txt, masks/ hold class ids 0..K and instances/ may hold instance ids. Without
 * it there is one foreground class and masks/ hold instance ids (any positive value = class 1);
 * its name is taken from a one-class tags.csv header, else {@value #DEFAULT_CLASS}.
 *
 * <p>Label images are PNGs (1 to 16 bit, one channel; a palette PNG's indices are its
 * labels); other files in the folders are ignored, except TIFFs in a label folder, which are
 * an error rather than silently unused. Text files are UTF-8.
 *
 * <p>{@link #open} checks what is cheap (folders, file names, CSV files); the loaders of
 * {@link Sample} check sizes and values when they read; {@link #validate} reads the header of
 * every file and checks PNG CRCs without decoding pixels, {@link #validateAll} decodes
 * everything. Every failure is a {@link DatasetException} whose one-line message names the
 * file and the problem; {@link #open}, {@link #validate} and {@link #validateAll} collect
 * every bad file into one ({@link DatasetException#of}: a line saying how many, then a line
 * each).
 *
 * <pre>
 * Dataset glas = Dataset.open(Path.of("data/glas"));
 * glas.validate(ProgressCallback.NONE);
 * for (Sample s : glas.samples("train")) {
 *   FloatImage image = s.loadImage();
 *   LabelImage glands = s.loadInstances();
 * }
 * </pre>
 */
public final class Dataset {
  public static final String TRAIN = "train";
  /** The class name of a dataset without classes.txt or tags.csv. */
  public static final String DEFAULT_CLASS = "foreground";

  private final Path dir;
  private final boolean classesListed;
  private final List<String> classNames;
  private final List<Sample> samples;
  private final Map<String, Sample> byId;

  private Dataset(Path dir, boolean classesListed, List<String> classNames, List<Sample> samples) {
    this.dir = dir;
    this.classesListed = classesListed;
    this.classNames = List.copyOf(classNames);
    this.samples = List.copyOf(samples);
    Map<String, Sample> map = new HashMap<>();
    for (Sample s : samples) {
      map.put(s.id(), s);
    }
    this.byId = map;
  }

  /**
   * Opens and checks a dataset folder (cheap checks only, see the class comment); one
   * {@link DatasetException} names every bad file found ({@link DatasetException#of}).
   */
  public static Dataset open(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new DatasetException(dir, "no such dataset folder");
    }
    Path imagesDir = dir.resolve("images");
    if (!Files.isDirectory(imagesDir)) {
      throw new DatasetException(imagesDir, "missing: a dataset needs an images/ folder");
    }
    Problems problems = new Problems();
    Map<String, Path> images = listImages(imagesDir, problems);
    if (images.isEmpty() && problems.isEmpty()) {
      throw new DatasetException(imagesDir, "empty dataset: no .png, .tif, .tiff, .jpg or .jpeg images");
    }
    Path classesFile = dir.resolve("classes.txt");
    boolean classesListed = Files.isRegularFile(classesFile);
    Map<String, Path> masks = listLabels(dir.resolve("masks"), images, problems);
    Map<String, Path> partial = listLabels(dir.resolve("partial"), images, problems);
    Map<String, Path> pseudo = listLabels(dir.resolve("pseudo"), images, problems);
    Map<String, Path> scribbles = listLabels(dir.resolve("scribbles"), images, problems);
    Map<String, Path> instances = listLabels(dir.resolve("instances"), images, problems);
    if (!classesListed && !instances.isEmpty()) {
      problems.add(new DatasetException(dir.resolve("instances"),
          "instances/ needs classes.txt (without it masks/ already hold the instance ids)"));
    }
    Map<String, String> splits = problems.check(() -> readSplits(dir.resolve("split.csv"), images));
    Map<String, Double> sizes = problems.check(() -> readSizes(dir.resolve("sizes.csv"), images));

    Path tagsFile = dir.resolve("tags.csv");
    CsvTable tagTable = Files.isRegularFile(tagsFile) ? problems.check(() -> CsvTable.read(tagsFile)) : null;
    List<String> classNames;
    if (classesListed) {
      classNames = problems.check(() -> readClassNames(classesFile));
    } else if (tagTable != null && tagTable.header.length == 2) {
      classNames = List.of(tagTable.header[1]);
    } else {
      classNames = List.of(DEFAULT_CLASS);
    }
    Map<String, boolean[]> tags = tagTable == null || classNames == null ? Map.of()
        : problems.check(() -> readTags(tagTable, classNames, classesListed, images));
    problems.throwIfAny();

    List<Sample> samples = new ArrayList<>();
    for (Map.Entry<String, Path> e : images.entrySet()) {
      String id = e.getKey();
      Double size = sizes.get(id);
      samples.add(new Sample(id, splits.getOrDefault(id, TRAIN), e.getValue(), masks.get(id),
          partial.get(id), pseudo.get(id), scribbles.get(id), instances.get(id),
          size == null ? OptionalDouble.empty() : OptionalDouble.of(size), tags.get(id),
          classNames.size(), classesListed));
    }
    return new Dataset(dir, classesListed, classNames, samples);
  }

  public Path dir() { return dir; }

  /**
   * Whether classes.txt exists: then masks/, partial/ and pseudo/ hold class ids; else they
   * hold instance ids of one foreground class.
   */
  public boolean labelsHoldClassIds() { return classesListed; }

  /** Foreground class names; class id k (1..K) is {@code classNames().get(k - 1)}. */
  public List<String> classNames() { return classNames; }

  /** All samples, sorted by id. */
  public List<Sample> samples() { return samples; }

  /** The samples of one split (e.g. {@code train}, {@code test}), sorted by id; maybe empty. */
  public List<Sample> samples(String split) {
    return samples.stream().filter(s -> s.split().equals(split)).toList();
  }

  public Optional<Sample> sample(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /**
   * The images of split {@code trainSplit} with their labels, to train on; validation images
   * are those of split "val" that have strong masks (none when training on "val" itself).
   *
   * @throws DatasetException when the split has no images
   */
  public TrainingSet trainingSet(String trainSplit) {
    List<Sample> pool = samples(trainSplit);
    if (pool.isEmpty()) {
      throw new DatasetException(dir + ": no images in split '" + trainSplit + "' (splits: "
          + splits() + ")");
    }
    List<LabeledImage> validation = "val".equals(trainSplit) ? List.of()
        : samples("val").stream().filter(s -> s.mask().isPresent()).map(Sample::labeled)
            .toList();
    return new TrainingSet(classNames, pool.stream().map(Sample::labeled).toList(), validation);
  }

  /** The distinct split names, sorted. */
  public Set<String> splits() {
    Set<String> out = new java.util.TreeSet<>();
    samples.forEach(s -> out.add(s.split()));
    return out;
  }

  /**
   * Checks that every file is a readable image within the pixel limit, that every PNG's
   * chunk CRCs match, that every image's planes can be laid out (OME-TIFF, ImageJ), and that
   * every label image has its image's size (fast: no pixel is decoded). One {@link
   * DatasetException} names every bad file ({@link DatasetException#of}).
   *
   * @return a line for each image that is a stack (a multi-page TIFF): a dataset image is
   *     one plane, and only its first is used
   */
  public List<String> validate(ProgressCallback progress) {
    Problems problems = new Problems();
    List<String> notes = new ArrayList<>();
    for (int i = 0; i < samples.size(); i++) {
      samples.get(i).checkHeaders(problems, notes);
      progress.progress(i + 1, samples.size(), samples.get(i).id());
    }
    problems.throwIfAny();
    return List.copyOf(notes);
  }

  /**
   * Decodes every file with all the checks of the loaders (sizes, class values); slow, for
   * a dataset one has just made. One {@link DatasetException} names every bad file.
   */
  public void validateAll(ProgressCallback progress) {
    Problems problems = new Problems();
    for (int i = 0; i < samples.size(); i++) {
      samples.get(i).loadAll(problems);
      progress.progress(i + 1, samples.size(), samples.get(i).id());
    }
    problems.throwIfAny();
  }

  @Override
  public String toString() {
    return "Dataset[" + dir + ", " + samples.size() + " samples, classes " + classNames + "]";
  }

  // ---- reading the folder ------------------------------------------------------------------

  private static Map<String, Path> listImages(Path imagesDir, Problems problems) {
    Map<String, Path> out = new TreeMap<>();
    for (Path file : list(imagesDir)) {
      if (!ImageFiles.isImageFile(file)) {
        continue;
      }
      String id = ImageFiles.id(file);
      Path before = out.put(id, file);
      if (before != null) {
        Path first = before.getFileName().toString().compareTo(file.getFileName().toString()) < 0
            ? before : file;
        Path second = first == before ? file : before;
        problems.add(new DatasetException(first + " and " + second.getFileName()
            + ": duplicate id '" + id + "' (keep one image per id)"));
      }
    }
    return out;
  }

  /** The PNGs of a label folder (absent folder = none); each must belong to an image. */
  private static Map<String, Path> listLabels(Path folder, Map<String, Path> images,
      Problems problems) {
    Map<String, Path> out = new HashMap<>();
    if (!Files.isDirectory(folder)) {
      return out;
    }
    for (Path file : list(folder)) {
      String ext = extension(file);
      if (ext.equals("tif") || ext.equals("tiff")) {
        // Silently skipping it would train without labels the user thinks are there.
        problems.add(new DatasetException(file,
            "label images must be PNG (" + folder.getFileName() + "/ID.png)"));
        continue;
      }
      if (!ext.equals("png")) {
        continue;
      }
      String id = stem(file);
      if (!images.containsKey(id)) {
        problems.add(new DatasetException(file, "no image with id '" + id + "' in images/"));
        continue;
      }
      out.put(id, file);
    }
    return out;
  }

  /** The regular, not hidden files of {@code folder}, sorted. */
  static List<Path> list(Path folder) {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(Files::isRegularFile)
          .filter(f -> !f.getFileName().toString().startsWith("."))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new DatasetException(folder, "cannot list folder (" + e.getMessage() + ")");
    }
  }

  private static Map<String, String> readSplits(Path file, Map<String, Path> images) {
    Map<String, String> out = new HashMap<>();
    if (!Files.isRegularFile(file)) {
      return out;
    }
    CsvTable table = CsvTable.read(file);
    requireColumns(table, "id", "split");
    for (CsvTable.Row row : table.rows) {
      String id = row.fields()[0];
      String split = row.fields()[1];
      if (split.isEmpty()) {
        throw table.malformed(row, "empty split");
      }
      requireImage(table, row, images);
      if (out.put(id, split) != null) {
        throw table.malformed(row, "id '" + id + "' listed twice");
      }
    }
    return out;
  }

  private static Map<String, Double> readSizes(Path file, Map<String, Path> images) {
    Map<String, Double> out = new HashMap<>();
    if (!Files.isRegularFile(file)) {
      return out;
    }
    CsvTable table = CsvTable.read(file);
    requireColumns(table, "id", "size");
    for (CsvTable.Row row : table.rows) {
      double size;
      try {
        size = Double.parseDouble(row.fields()[1]);
      } catch (NumberFormatException e) {
        throw table.malformed(row, "size is not a number");
      }
      if (!(size >= 0) || Double.isInfinite(size)) {
        throw table.malformed(row, "size must be a finite number >= 0");
      }
      requireImage(table, row, images);
      if (out.put(row.fields()[0], size) != null) {
        throw table.malformed(row, "id '" + row.fields()[0] + "' listed twice");
      }
    }
    return out;
  }

  private static Map<String, boolean[]> readTags(CsvTable table, List<String> classNames,
      boolean classesListed, Map<String, Path> images) {
    List<String> header = List.of(table.header).subList(1, table.header.length);
    if (!header.equals(classNames)) {
      String expected = classesListed
          ? "the classes of classes.txt " + classNames
          : "one class column (a dataset without classes.txt has one foreground class)";
      throw new DatasetException(table.file, "header columns " + header + " do not match " + expected);
    }
    Map<String, boolean[]> out = new HashMap<>();
    for (CsvTable.Row row : table.rows) {
      boolean[] present = new boolean[classNames.size()];
      for (int k = 0; k < present.length; k++) {
        String v = row.fields()[k + 1];
        if (!v.equals("0") && !v.equals("1")) {
          throw table.malformed(row, "tag of class '" + classNames.get(k) + "' must be 0 or 1, found '" + v + "'");
        }
        present[k] = v.equals("1");
      }
      requireImage(table, row, images);
      if (out.put(row.fields()[0], present) != null) {
        throw table.malformed(row, "id '" + row.fields()[0] + "' listed twice");
      }
    }
    return out;
  }

  private static List<String> readClassNames(Path file) {
    List<String> lines = TextFiles.readLines(file);
    List<String> names = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < lines.size(); i++) {
      String name = lines.get(i).replace("\uFEFF", "").trim();
      if (name.isEmpty()) {
        continue;
      }
      if (!seen.add(name)) {
        throw new DatasetException(file, "line " + (i + 1) + " '" + name + "': class named twice");
      }
      names.add(name);
    }
    if (names.isEmpty()) {
      throw new DatasetException(file, "no class names (one foreground class name per line)");
    }
    if (names.size() > ImageFiles.MAX_PNG_LABEL) {
      // Checked before a network with a head of that many outputs is built.
      throw new DatasetException(file, names.size() + " class names, more than the "
          + ImageFiles.MAX_PNG_LABEL + " whose ids a 16-bit label image holds");
    }
    return names;
  }

  private static void requireColumns(CsvTable table, String... columns) {
    if (!List.of(table.header).equals(List.of(columns))) {
      throw new DatasetException(table.file, "header '" + String.join(",", table.header)
          + "' should be '" + String.join(",", columns) + "'");
    }
  }

  private static void requireImage(CsvTable table, CsvTable.Row row, Map<String, Path> images) {
    String id = row.fields()[0];
    if (!images.containsKey(id)) {
      throw table.malformed(row, "no image with id '" + id + "' in images/");
    }
  }

  /** The file name's extension, lower case; "" for none. */
  static String extension(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  /** The file name without its extension: the id of an image. */
  static String stem(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot < 0 ? name : name.substring(0, dot);
  }
}
