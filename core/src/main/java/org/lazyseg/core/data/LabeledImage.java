package org.lazyseg.core.data;

import java.util.EnumSet;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Supplier;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.Components;

/**
 * One image with whichever lazy labels it has: any of a strong mask, a partial mask, separation
 * scribbles, a pseudo mask, an object size and tags (docs/methods.md, "Label kinds"). Methods
 * read their labels from here, never from files.
 *
 * <p>Immutable. Made in memory with {@link #of} and the {@code with*} copies, or by a
 * {@link Dataset} (whose images and labels are read from their files each time they are
 * asked for, so a large dataset needs no more memory than one image at a time):
 *
 * <pre>{@code
 * LabeledImage a = LabeledImage.of("a", image).withMask(glands);          // outlined
 * LabeledImage b = LabeledImage.of("b", image2).withPartial(innerRegions)  // lazy
 *     .withScribbles(lines);
 * LabeledImage c = LabeledImage.of("c", image3).withTags(true);            // "has glands"
 * }</pre>
 *
 * <p>Label images have the image's size. Strong and pseudo masks hold class ids (0 background,
 * 1..K); a partial mask holds class ids, or instance ids when there is one class; scribbles are
 * nonzero on the interface between touching objects; tags say per foreground class whether it
 * is present.
 */
public final class LabeledImage {
  /** The kinds of label an image can carry. */
  public enum Kind { MASK, PARTIAL, SCRIBBLES, PSEUDO, SIZE, TAGS }

  private final String id;
  private final Supplier<FloatImage> image;
  private final Supplier<int[]> size;
  private final Supplier<LabelImage> mask;
  private final Supplier<LabelImage> instances;
  private final Supplier<LabelImage> partial;
  private final Supplier<LabelImage> scribbles;
  private final Supplier<LabelImage> pseudo;
  private final OptionalDouble objectSize;
  private final boolean[] tags;

  private LabeledImage(String id, Supplier<FloatImage> image, Supplier<int[]> size,
      Supplier<LabelImage> mask, Supplier<LabelImage> instances, Supplier<LabelImage> partial,
      Supplier<LabelImage> scribbles, Supplier<LabelImage> pseudo, OptionalDouble objectSize,
      boolean[] tags) {
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException("a labelled image needs a non-empty id");
    }
    this.id = id;
    this.image = image;
    this.size = size;
    this.mask = mask;
    this.instances = instances;
    this.partial = partial;
    this.scribbles = scribbles;
    this.pseudo = pseudo;
    this.objectSize = objectSize;
    this.tags = tags;
  }

  /** An image in memory, with no labels yet. */
  public static LabeledImage of(String id, FloatImage image) {
    FloatImage held = java.util.Objects.requireNonNull(image, "image");
    int[] wh = {held.width(), held.height()};
    return new LabeledImage(id, () -> held, () -> wh.clone(), null, null, null, null, null,
        OptionalDouble.empty(), null);
  }

  /**
   * An image whose pixels and labels are read when asked for (a dataset folder's samples);
   * {@code size} gives {width, height} without decoding pixels.
   */
  static LabeledImage lazy(String id, Supplier<FloatImage> image, Supplier<int[]> size) {
    return new LabeledImage(id, image, size, null, null, null, null, null,
        OptionalDouble.empty(), null);
  }

  public String id() { return id; }

  /** The pixels, floats in [0, 1] per channel. */
  public FloatImage image() { return image.get(); }

  /** {width, height}, without decoding a lazily read image. */
  public int[] size() { return size.get().clone(); }

  /** Which labels this image has. */
  public Set<Kind> kinds() {
    Set<Kind> k = EnumSet.noneOf(Kind.class);
    if (mask != null) {
      k.add(Kind.MASK);
    }
    if (partial != null) {
      k.add(Kind.PARTIAL);
    }
    if (scribbles != null) {
      k.add(Kind.SCRIBBLES);
    }
    if (pseudo != null) {
      k.add(Kind.PSEUDO);
    }
    if (objectSize.isPresent()) {
      k.add(Kind.SIZE);
    }
    if (tags != null) {
      k.add(Kind.TAGS);
    }
    return k;
  }

  public boolean has(Kind kind) {
    return kinds().contains(kind);
  }

  /** The strong mask as class ids (0 background, 1..K). */
  public Optional<LabelImage> mask() { return load(mask); }

  /**
   * Instance ids of the strong mask (0 background): as given, else each 4-connected region of
   * one class.
   */
  public Optional<LabelImage> instances() {
    if (mask == null) {
      return Optional.empty();
    }
    return Optional.of(instances != null ? instances.get() : byClassRegions(mask.get()));
  }

  /** The partial mask: 0 = not marked, else a class id (or an instance id with one class). */
  public Optional<LabelImage> partial() { return load(partial); }

  /** Separation scribbles as 0/1, 1 = on the interface between two touching objects. */
  public Optional<LabelImage> scribbles() { return load(scribbles); }

  /** A pseudo mask (e.g. grown from the partial mask by GrabCut), as class ids. */
  public Optional<LabelImage> pseudo() { return load(pseudo); }

  /** The image's object size (docs/methods.md, "Object sizes"). */
  public OptionalDouble objectSize() { return objectSize; }

  /** Presence of each foreground class (index 0 = class 1); a copy. */
  public Optional<boolean[]> tags() {
    return Optional.ofNullable(tags == null ? null : tags.clone());
  }

  /** A copy with this strong mask of class ids (0 background, 1..K). */
  public LabeledImage withMask(LabelImage classIds) {
    LabelImage m = sized(classIds, "mask");
    return new LabeledImage(id, image, size, () -> m, null, partial, scribbles, pseudo,
        objectSize, tags);
  }

  /**
   * A copy with a strong mask given as instance ids of one class (every positive value is an
   * object of class 1; touching objects keep their own ids).
   */
  public LabeledImage withInstanceMask(LabelImage instanceIds) {
    LabelImage ids = sized(instanceIds, "instance mask");
    LabelImage classes = ids.foreground();
    return new LabeledImage(id, image, size, () -> classes, () -> ids, partial, scribbles,
        pseudo, objectSize, tags);
  }

  public LabeledImage withPartial(LabelImage partialMask) {
    LabelImage p = sized(partialMask, "partial mask");
    return new LabeledImage(id, image, size, mask, instances, () -> p, scribbles, pseudo,
        objectSize, tags);
  }

  public LabeledImage withScribbles(LabelImage interfaces) {
    LabelImage s = sized(interfaces, "scribbles").foreground();
    return new LabeledImage(id, image, size, mask, instances, partial, () -> s, pseudo,
        objectSize, tags);
  }

  public LabeledImage withPseudo(LabelImage classIds) {
    LabelImage p = sized(classIds, "pseudo mask");
    return new LabeledImage(id, image, size, mask, instances, partial, scribbles, () -> p,
        objectSize, tags);
  }

  /** A copy with this object size (must be positive and finite). */
  public LabeledImage withObjectSize(double objectSize) {
    if (!(objectSize > 0) || Double.isInfinite(objectSize)) {
      throw new IllegalArgumentException(id + ": object size must be a positive number, not "
          + objectSize);
    }
    return new LabeledImage(id, image, size, mask, instances, partial, scribbles, pseudo,
        OptionalDouble.of(objectSize), tags);
  }

  /** A copy with tags: for each foreground class (1..K in order), whether it is present. */
  public LabeledImage withTags(boolean... present) {
    if (present == null || present.length == 0) {
      throw new IllegalArgumentException(id + ": tags need one value per foreground class");
    }
    return new LabeledImage(id, image, size, mask, instances, partial, scribbles, pseudo,
        objectSize, present.clone());
  }

  /** A copy without its strong mask (e.g. an image outside the strongly labelled subset). */
  public LabeledImage withoutMask() {
    return new LabeledImage(id, image, size, null, null, partial, scribbles, pseudo, objectSize,
        tags);
  }

  /** Lazy variants for {@link Sample}: each supplier reads (and checks) its file per call. */
  LabeledImage withLazyLabels(Supplier<LabelImage> mask, Supplier<LabelImage> instances,
      Supplier<LabelImage> partial, Supplier<LabelImage> scribbles, Supplier<LabelImage> pseudo,
      OptionalDouble objectSize, boolean[] tags) {
    return new LabeledImage(id, image, size, mask, instances, partial, scribbles, pseudo,
        objectSize, tags);
  }

  private LabelImage sized(LabelImage labels, String what) {
    java.util.Objects.requireNonNull(labels, what);
    int[] wh = size.get();
    if (!labels.sameSize(wh[0], wh[1])) {
      throw new IllegalArgumentException(id + ": " + what + " is " + labels.width() + "x"
          + labels.height() + ", the image " + wh[0] + "x" + wh[1]);
    }
    return labels;
  }

  private static Optional<LabelImage> load(Supplier<LabelImage> labels) {
    return labels == null ? Optional.empty() : Optional.of(labels.get());
  }

  private static LabelImage byClassRegions(LabelImage classes) {
    int classCount = Math.max(1, classes.max());
    return classCount == 1 ? Components.instances(classes.foreground())
        : Instances.ofClasses(classes, classCount);
  }

  @Override
  public String toString() {
    return "LabeledImage[" + id + ", " + kinds() + "]";
  }
}
