package org.lazyseg.core.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Supplier;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.ImageFiles.ImageFileException;
import org.lazyseg.core.image.ImageStack;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.Components;

/**
 * One image of a {@link Dataset} and whichever labels it carries. Immutable; the loaders read
 * the files on every call (nothing is cached) and check that each label image has the size of
 * its image, throwing {@link DatasetException} otherwise.
 */
public final class Sample {
  private final String id;
  private final String split;
  private final Path image;
  private final Path mask;
  private final Path partial;
  private final Path pseudo;
  private final Path scribbles;
  private final Path instances;
  private final OptionalDouble size;
  private final boolean[] tags;
  private final int classCount;
  private final boolean masksHoldClassIds;

  Sample(String id, String split, Path image, Path mask, Path partial, Path pseudo,
      Path scribbles, Path instances, OptionalDouble size, boolean[] tags, int classCount,
      boolean masksHoldClassIds) {
    this.id = id;
    this.split = split;
    this.image = image;
    this.mask = mask;
    this.partial = partial;
    this.pseudo = pseudo;
    this.scribbles = scribbles;
    this.instances = instances;
    this.size = size;
    this.tags = tags;
    this.classCount = classCount;
    this.masksHoldClassIds = masksHoldClassIds;
  }

  public String id() { return id; }

  /** {@code train} unless split.csv says otherwise. */
  public String split() { return split; }

  public Path image() { return image; }

  public Optional<Path> mask() { return Optional.ofNullable(mask); }

  public Optional<Path> partial() { return Optional.ofNullable(partial); }

  /** pseudo/ID.png: a pseudo mask (GrabCut grown from the partial mask), as masks/. */
  public Optional<Path> pseudo() { return Optional.ofNullable(pseudo); }

  public Optional<Path> scribbles() { return Optional.ofNullable(scribbles); }

  /** instances/ID.png; only datasets with classes.txt have these. */
  public Optional<Path> instances() { return Optional.ofNullable(instances); }

  /** The object size from sizes.csv. */
  public OptionalDouble size() { return size; }

  /** Presence of each foreground class (index 0 = class 1) from tags.csv; a copy. */
  public Optional<boolean[]> tags() { return Optional.ofNullable(tags == null ? null : tags.clone()); }

  /**
   * The image as floats in [0, 1]: 1 or 3 channels, or an OME-TIFF's or ImageJ hyperstack's
   * C. A dataset image is one plane: of a stack, the first ({@link ImageStack}).
   */
  public FloatImage loadImage() {
    return wrap(() -> {
      try (ImageStack stack = ImageStack.open(image)) {
        return stack.plane(0);
      }
    });
  }

  /**
   * The class of every pixel (0 = background, 1..K) from masks/. Without classes.txt the masks
   * hold instance ids, and every positive value becomes class 1.
   */
  public LabelImage loadClasses() {
    Path file = require(mask, "masks");
    LabelImage labels = loadSized(file);
    if (masksHoldClassIds) {
      checkClassRange(file, labels);
      return labels;
    }
    return labels.foreground();
  }

  /**
   * Instance ids (0 = background, positive = one object). From instances/ when present; else
   * from masks/: without classes.txt the mask values are the ids, and a mask with one value
   * (0/1 or 0/255) is split into its 4-connected components; with classes.txt each 4-connected
   * region of one class becomes an instance.
   */
  public LabelImage loadInstances() {
    if (instances != null) {
      return loadSized(instances);
    }
    Path file = require(mask, "masks");
    if (!masksHoldClassIds) {
      return Components.instances(loadSized(file));
    }
    return Instances.ofClasses(loadClasses(), classCount);
  }

  /**
   * The partial mask: 0 = rest; otherwise the class id, or an instance id when the dataset has
   * no classes.txt.
   */
  public LabelImage loadPartial() {
    Path file = require(partial, "partial");
    LabelImage labels = loadSized(file);
    if (masksHoldClassIds) {
      checkClassRange(file, labels);
    }
    return labels;
  }

  /**
   * The pseudo mask of the pseudo-label baseline, in the convention of masks/: class ids with
   * classes.txt (checked against the class count), else instance ids of one class.
   */
  public LabelImage loadPseudo() {
    Path file = require(pseudo, "pseudo");
    LabelImage labels = loadSized(file);
    if (masksHoldClassIds) {
      checkClassRange(file, labels);
    }
    return labels;
  }

  /** Separation scribbles as 0/1: 1 = a pixel on the interface between touching objects. */
  public LabelImage loadScribbles() {
    return loadSized(require(scribbles, "scribbles")).foreground();
  }

  /**
   * This sample as the labelled image methods train on: pixels and labels are read from their
   * files (with the checks of the loaders here) each time they are asked for.
   */
  public LabeledImage labeled() {
    return LabeledImage.lazy(id, this::loadImage, this::imageSize).withLazyLabels(
        mask == null ? null : this::loadClasses,
        mask == null && instances == null ? null : this::loadInstances,
        partial == null ? null : this::loadPartial,
        scribbles == null ? null : this::loadScribbles,
        pseudo == null ? null : this::loadPseudo,
        size, tags == null ? null : tags.clone());
  }

  /** Width and height of the image from its header (no pixel decoded), as {@code {width, height}}. */
  public int[] imageSize() {
    return wrap(() -> ImageFiles.size(image));
  }

  /**
   * Notes in {@code problems} every file of this sample that fails {@link ImageFiles#check}
   * (header, pixel limit, PNG CRCs) or whose planes cannot be laid out ({@link
   * ImageStack#open}), and every label file whose header does not give the image's size;
   * adds to {@code notes} a line when the image is a stack, of which only the first plane is
   * used. Decodes no pixels.
   */
  void checkHeaders(Problems problems, List<String> notes) {
    int[] expected = problems.check(() -> wrap(() -> ImageFiles.check(image)));
    if (expected != null) {
      problems.run(() -> wrap(() -> {
        try (ImageStack stack = ImageStack.open(image)) {
          if (stack.planes() > 1) {
            notes.add(image + ": " + stack.describe() + "; a dataset image is one plane: only"
                + " the first (plane 1 of " + stack.planes() + ") is used");
          }
        }
        return null;
      }));
    }
    for (Path label : new Path[] {mask, partial, pseudo, scribbles, instances}) {
      if (label != null) {
        int[] found = problems.check(() -> wrap(() -> ImageFiles.check(label)));
        if (found != null && expected != null) {
          problems.run(() -> checkSize(label, found[0], found[1], expected));
        }
      }
    }
  }

  /** Decodes every file of this sample, with all load-time checks, noting each bad file. */
  void loadAll(Problems problems) {
    problems.check(this::loadImage);
    if (mask != null) {
      problems.check(this::loadClasses);
    }
    if (mask != null || instances != null) {
      problems.check(this::loadInstances);
    }
    if (partial != null) {
      problems.check(this::loadPartial);
    }
    if (pseudo != null) {
      problems.check(this::loadPseudo);
    }
    if (scribbles != null) {
      problems.check(this::loadScribbles);
    }
  }

  private LabelImage loadSized(Path file) {
    LabelImage labels = wrap(() -> ImageFiles.readLabels(file));
    checkSize(file, labels.width(), labels.height(), imageSize());
    return labels;
  }

  private void checkSize(Path file, int width, int height, int[] expected) {
    if (width != expected[0] || height != expected[1]) {
      throw new DatasetException(file, "size " + width + "x" + height
          + " differs from its image " + image + " (" + expected[0] + "x" + expected[1] + ")");
    }
  }

  private void checkClassRange(Path file, LabelImage labels) {
    int[] d = labels.data();
    for (int i = 0; i < d.length; i++) {
      if (d[i] > classCount) {
        throw new DatasetException(file, "class value " + d[i] + " at pixel " + (i % labels.width())
            + "," + (i / labels.width()) + " is out of range: classes.txt lists " + classCount
            + " classes (values 0.." + classCount + ")");
      }
    }
  }

  private Path require(Path file, String folder) {
    if (file == null) {
      throw new DatasetException(image, "sample '" + id + "' has no " + folder + "/" + id + ".png");
    }
    return file;
  }

  private static <T> T wrap(Supplier<T> read) {
    try {
      return read.get();
    } catch (ImageFileException e) {
      throw new DatasetException(e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "Sample[" + id + ", " + split + "]";
  }
}
