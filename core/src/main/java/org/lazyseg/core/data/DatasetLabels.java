package org.lazyseg.core.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Pattern;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;

/**
 * The lazy labels of a dataset folder, edited one region at a time (what Fiji's "LazySeg Add
 * Label" writes): a region becomes a strong outline, a partial region or a scribble of an
 * image; an image gets an object size or tags. Everything is written in the layout that
 * {@link Dataset} reads and {@code lazyseg train} trains on, each file atomically (a
 * temporary file renamed over it), so a kill at any moment leaves each file as before or
 * after the edit.
 *
 * <p>Conventions: a folder with {@code classes.txt} (or a new, unlabelled folder, which gets
 * one with the first class named) stores class ids in masks/ and partial/, and each strong
 * outline's own id in instances/; a folder that already has masks or partial masks without
 * classes.txt keeps its convention: instance ids of its one class. An image with strong
 * outlines is strongly labelled: its pixels outside every outline are background, so outline
 * every object of such an image.
 *
 * <pre>{@code
 * DatasetLabels labels = DatasetLabels.at(dir);
 * int gland = labels.classId("gland");          // added to classes.txt when new
 * labels.add("a", DatasetLabels.Kind.PARTIAL, region, gland);
 * labels.setSize("a", 23);
 * }</pre>
 */
public final class DatasetLabels {
  /** What a region becomes, and the folder it is stored in. */
  public enum Kind {
    STRONG("masks"), PARTIAL("partial"), SCRIBBLE("scribbles");

    private final String folder;

    Kind(String folder) {
      this.folder = folder;
    }

    public String folder() {
      return folder;
    }

    /** strong, partial or scribble (also the folder names masks, partial, scribbles). */
    public static Kind parse(String word) {
      String w = word.trim().toLowerCase(Locale.ROOT);
      for (Kind k : values()) {
        if (k.name().toLowerCase(Locale.ROOT).equals(w) || k.folder.equals(w)) {
          return k;
        }
      }
      throw new IllegalArgumentException("'" + word + "' is not a label kind (strong, partial "
          + "or scribble)");
    }
  }

  /** The characters an id may have: CSV files of a dataset have no quoting. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]+");

  private final Path dir;

  private DatasetLabels(Path dir) {
    this.dir = dir;
  }

  /** The labels of the dataset folder {@code dir} (created on the first write). */
  public static DatasetLabels at(Path dir) {
    return new DatasetLabels(dir);
  }

  public Path dir() {
    return dir;
  }

  /** Whether {@code id} can name an image: letters, digits, '.', '-' and '_'. */
  public static boolean isValidId(String id) {
    return ID.matcher(id).matches();
  }

  /** {@code text} made into an id: every other character becomes '_'. */
  public static String toId(String text) {
    String id = text.replaceAll("[^A-Za-z0-9._-]", "_");
    return id.isEmpty() ? "image" : id;
  }

  /** images/ID.* of {@code id}, if the dataset has it. */
  public Optional<Path> imageFile(String id) {
    Path images = dir.resolve("images");
    if (!Files.isDirectory(images)) {
      return Optional.empty();
    }
    return Dataset.list(images).stream()
        .filter(f -> ImageFiles.isImageFile(f) && ImageFiles.id(f).equals(id)).findFirst();
  }

  /** Whether masks/ and partial/ hold class ids (classes.txt, or a new folder); else instance ids. */
  public boolean holdsClassIds() {
    return Files.isRegularFile(dir.resolve("classes.txt")) || !hasLabelFiles();
  }

  private boolean hasLabelFiles() {
    for (String folder : List.of("masks", "partial", "pseudo")) {
      Path f = dir.resolve(folder);
      if (Files.isDirectory(f) && Dataset.list(f).stream()
          .anyMatch(p -> Dataset.extension(p).equals("png"))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The foreground class names: classes.txt's, else the one class of a folder in the
   * instance convention (named by a one-column tags.csv, else {@value Dataset#DEFAULT_CLASS}),
   * else none yet.
   */
  public List<String> classNames() {
    Path file = dir.resolve("classes.txt");
    if (Files.isRegularFile(file)) {
      List<String> names = new ArrayList<>();
      for (String line : TextFiles.readLines(file)) {
        String name = line.replace("\uFEFF", "").trim();
        if (!name.isEmpty()) {
          names.add(name);
        }
      }
      return names;
    }
    if (!hasLabelFiles()) {
      return List.of();
    }
    Path tags = dir.resolve("tags.csv");
    if (Files.isRegularFile(tags)) {
      CsvTable t = CsvTable.read(tags);
      if (t.header.length == 2) {
        return List.of(t.header[1]);
      }
    }
    return List.of(Dataset.DEFAULT_CLASS);
  }

  /**
   * The id (1..K) of class {@code name}; a new name is appended to classes.txt (tags.csv, if
   * there, gets a column of 0 for it: not present in any image tagged before).
   *
   * @throws DatasetException when the folder holds instance ids of one class (no
   *     classes.txt) and {@code name} is not that class
   */
  public int classId(String name) {
    String clean = name.trim();
    if (clean.isEmpty() || clean.contains(",")) {
      throw new DatasetException(dir.resolve("classes.txt"), "'" + name + "' cannot be a class "
          + "name (it must be non-empty, without commas)");
    }
    List<String> names = classNames();
    int k = names.indexOf(clean);
    if (k >= 0) {
      return k + 1;
    }
    if (!holdsClassIds()) {
      throw new DatasetException(dir, "its labels hold the instance ids of one class ("
          + names.get(0) + ", no classes.txt), so it cannot take class '" + clean + "': use "
          + names.get(0) + ", or label into a new dataset folder");
    }
    List<String> more = new ArrayList<>(names);
    more.add(clean);
    Map<String, boolean[]> tags = readTags(names);
    write(dir.resolve("classes.txt"), String.join("\n", more) + "\n");
    if (!tags.isEmpty()) {
      writeTags(more, tags);
    }
    return more.size();
  }

  /** The label image of one kind of an image, or an empty (all 0) one of the given size. */
  public LabelImage labels(String id, Kind kind, int width, int height) {
    Path file = file(kind.folder(), id);
    if (!Files.isRegularFile(file)) {
      return new LabelImage(width, height);
    }
    LabelImage l = ImageFiles.readLabels(file);
    if (!l.sameSize(width, height)) {
      throw new DatasetException(file, l.width() + " x " + l.height() + " labels for a "
          + width + " x " + height + " image");
    }
    return l;
  }

  /** Whether the image has labels of that kind. */
  public boolean has(String id, Kind kind) {
    return Files.isRegularFile(file(kind.folder(), id));
  }

  /**
   * Adds a region (its nonzero pixels) of an image of {@code region}'s size as {@code kind}
   * of class {@code classId} (ignored for scribbles); it is drawn over what the pixels held.
   * A strong region is one object: it gets the next free instance id.
   *
   * @return the value written into the kind's label image (class id, instance id, or 255)
   */
  public int add(String id, Kind kind, LabelImage region, int classId) {
    checkId(id);
    int w = region.width(), h = region.height();
    boolean classIds = holdsClassIds();
    if (kind != Kind.SCRIBBLE && (classId < 1 || classId > classNames().size())) {
      throw new IllegalArgumentException("class id " + classId + " is not one of the dataset's "
          + "classes " + classNames() + " (name a class first: classId)");
    }
    LabelImage labels = labels(id, kind, w, h);
    int value;
    if (kind == Kind.SCRIBBLE) {
      value = 255;
    } else if (kind == Kind.STRONG && classIds) {
      // masks/ hold the class; instances/ give each outline its own id.
      Path file = file("instances", id);
      LabelImage objects = Files.isRegularFile(file) ? ImageFiles.readLabels(file)
          : new LabelImage(w, h);
      if (!objects.sameSize(w, h)) {
        throw new DatasetException(file, objects.width() + " x " + objects.height()
            + " labels for a " + w + " x " + h + " image");
      }
      paint(objects, region, objects.max() + 1);
      ImageFiles.writeInstances(objects, file);
      value = classId;
    } else if (kind == Kind.STRONG || !classIds) {
      value = labels.max() + 1;   // instance convention: each region its own id
    } else {
      value = classId;
    }
    paint(labels, region, value);
    write(labels, file(kind.folder(), id), kind == Kind.STRONG && !classIds);
    return value;
  }

  /**
   * Clears the pixels of a region (nonzero pixels; null: the whole image) from one kind (null:
   * every kind) of an image's labels; a label image left empty is deleted. Returns how many
   * labelled pixels were cleared.
   */
  public long remove(String id, Kind kind, LabelImage region) {
    long cleared = 0;
    for (Kind k : kind == null ? List.of(Kind.values()) : List.of(kind)) {
      List<Path> files = new ArrayList<>(List.of(file(k.folder(), id)));
      if (k == Kind.STRONG) {
        files.add(file("instances", id));
      }
      for (Path f : files) {
        if (!Files.isRegularFile(f)) {
          continue;
        }
        LabelImage l = ImageFiles.readLabels(f);
        long n = 0;
        for (int i = 0; i < l.data().length; i++) {
          if (l.data()[i] != 0 && (region == null || region.data()[i] != 0)) {
            l.data()[i] = 0;
            n++;
          }
        }
        if (f.equals(files.get(0))) {
          cleared += n;
        }
        if (l.max() == 0) {
          delete(f);
        } else if (n > 0) {
          write(l, f, f.getParent().getFileName().toString().equals("instances")
              || (k == Kind.STRONG && !holdsClassIds()));
        }
      }
    }
    return cleared;
  }

  /** The object size of an image (sizes.csv), if it has one. */
  public OptionalDouble size(String id) {
    Double s = readSizes().get(id);
    return s == null ? OptionalDouble.empty() : OptionalDouble.of(s);
  }

  /** Sets (or, with a negative size, removes) an image's object size in sizes.csv. */
  public void setSize(String id, double size) {
    checkId(id);
    if (Double.isNaN(size) || Double.isInfinite(size)) {
      throw new IllegalArgumentException("object size must be a finite number, not " + size);
    }
    Map<String, Double> sizes = readSizes();
    if (size < 0) {
      sizes.remove(id);
    } else {
      sizes.put(id, size);
    }
    CsvTable.Writer csv = CsvTable.of("id", "size");
    sizes.forEach((k, v) -> csv.row(k, format(v)));
    write(dir.resolve("sizes.csv"), csv.text());
  }

  /** An image's tags (presence of each class, index 0 = class 1), if it has them. */
  public Optional<boolean[]> tags(String id) {
    return Optional.ofNullable(readTags(classNames()).get(id));
  }

  /** Sets (or, with null, removes) an image's tags: presence of each class of {@link #classNames}. */
  public void setTags(String id, boolean[] present) {
    checkId(id);
    List<String> names = classNames();
    if (names.isEmpty()) {
      throw new DatasetException(dir, "no classes yet: name a class first (classes.txt)");
    }
    if (present != null && present.length != names.size()) {
      throw new IllegalArgumentException(present.length + " tags for the " + names.size()
          + " classes " + names);
    }
    Map<String, boolean[]> tags = readTags(names);
    if (present == null) {
      tags.remove(id);
    } else {
      tags.put(id, present.clone());
    }
    writeTags(names, tags);
  }

  // ---- files ---------------------------------------------------------------------------------

  private Path file(String folder, String id) {
    return dir.resolve(folder).resolve(id + ".png");
  }

  private static void checkId(String id) {
    if (!isValidId(id)) {
      throw new IllegalArgumentException("'" + id + "' is not an image id (letters, digits, "
          + "'.', '-', '_')");
    }
  }

  private static void paint(LabelImage labels, LabelImage region, int value) {
    if (!region.sameSize(labels.width(), labels.height())) {
      throw new IllegalArgumentException("region " + region + " differs from labels " + labels);
    }
    int[] l = labels.data(), r = region.data();
    for (int i = 0; i < l.length; i++) {
      if (r[i] != 0) {
        l[i] = value;
      }
    }
  }

  private static void write(LabelImage labels, Path file, boolean instanceIds) {
    if (instanceIds) {
      ImageFiles.writeInstances(labels, file);
    } else {
      ImageFiles.writeLabels(labels, file);
    }
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + file + ": " + e.getMessage(), e);
    }
  }

  private static void write(Path file, String text) {
    try {
      TextFiles.write(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private Map<String, Double> readSizes() {
    Map<String, Double> out = new LinkedHashMap<>();
    Path file = dir.resolve("sizes.csv");
    if (Files.isRegularFile(file)) {
      for (CsvTable.Row row : CsvTable.read(file).rows) {
        out.put(row.fields()[0], Double.parseDouble(row.fields()[1]));
      }
    }
    return out;
  }

  /** tags.csv by id, its columns in the order of {@code names} (a missing column: 0). */
  private Map<String, boolean[]> readTags(List<String> names) {
    Map<String, boolean[]> out = new LinkedHashMap<>();
    Path file = dir.resolve("tags.csv");
    if (!Files.isRegularFile(file)) {
      return out;
    }
    CsvTable t = CsvTable.read(file);
    List<String> header = List.of(t.header);
    for (CsvTable.Row row : t.rows) {
      boolean[] present = new boolean[names.size()];
      for (int k = 0; k < names.size(); k++) {
        int column = header.indexOf(names.get(k));
        present[k] = column > 0 && row.fields()[column].equals("1");
      }
      out.put(row.fields()[0], present);
    }
    return out;
  }

  private void writeTags(List<String> names, Map<String, boolean[]> tags) {
    List<String> header = new ArrayList<>(List.of("id"));
    header.addAll(names);
    CsvTable.Writer csv = CsvTable.of(header.toArray(String[]::new));
    tags.forEach((id, present) -> csv.row(CsvTable.idAndFlags(id, present)));
    write(dir.resolve("tags.csv"), csv.text());
  }

  private static String format(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v)
        : Double.toString(v);
  }
}
