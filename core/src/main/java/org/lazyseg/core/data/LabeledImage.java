package org.lazyseg.core.data;

import java.util.EnumSet;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Supplier;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.Components;
import org.lazyseg.core.ops.Resize;

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

  /**
   * A copy at another scale: the image and every label resized to {@code factor} times its
   * width and height (rounded, at least 1), each when asked for. The image by pixel-area
   * averaging; a one-class strong or pseudo mask where at least half of a pixel's area was
   * foreground; other class masks, instance ids and partial masks by the id at the pixel's
   * centre (nearest; instance ids only where the shrunk class mask is foreground);
   * scribbles wherever any of a pixel's area was marked (a shrunk line stays a line); the
   * object size by {@link #scaledObjectSize}; tags as they are. A factor of 1 returns this
   * image.
   *
   * @param factor in (0, 1]: how much the network's images are shrunk
   */
  public LabeledImage scaled(double factor) {
    if (!(factor > 0 && factor <= 1)) {
      throw new IllegalArgumentException(id + ": scale factor must be in (0, 1], not " + factor);
    }
    if (factor == 1) {
      return this;
    }
    Supplier<int[]> to = () -> scaledSize(size.get(), factor);
    Supplier<FloatImage> img = () -> {
      int[] wh = to.get();
      return Resize.image(image.get(), wh[0], wh[1]);
    };
    Supplier<LabelImage> classes = scaled(mask, to, LabeledImage::classIds);
    Supplier<LabelImage> nearest = scaled(instances, to, Resize::labels);
    // instances only where the shrunk class mask is foreground, so that the two agree
    Supplier<LabelImage> ids = nearest == null ? null : () -> {
      LabelImage n = nearest.get();
      int[] c = classes.get().data();
      for (int i = 0; i < c.length; i++) {
        if (c[i] <= 0) {
          n.data()[i] = 0;
        }
      }
      return n;
    };
    return new LabeledImage(id, img, to, classes, ids, scaled(partial, to, Resize::labels),
        scaled(scribbles, to, Resize::marks), scaled(pseudo, to, LabeledImage::classIds),
        objectSize.isPresent()
            ? OptionalDouble.of(scaledObjectSize(objectSize.getAsDouble(), factor))
            : objectSize, tags);
  }

  private static int[] scaledSize(int[] wh, double factor) {
    return Resize.scaledSize(wh[0], wh[1], factor);
  }

  /**
   * The object size g of a mask after its image is scaled by {@code factor}: {@code factor *
   * (g - 1) + 1}, 0 stays 0. Under the project's convention an object w pixels across has g
   * about w + 1; w scales with the image, the + 1 does not. On HC18 heads downscaled to 256
   * or 192 pixels this matches g of the area-resampled mask with mean error under 0.1 (plain
   * {@code factor * g} is about 0.7 too small); what remains is g being an even integer.
   */
  public static double scaledObjectSize(double size, double factor) {
    return size <= 0 ? 0 : factor * (size - 1) + 1;
  }

  private interface LabelResize {
    LabelImage apply(LabelImage labels, int width, int height);
  }

  private static Supplier<LabelImage> scaled(Supplier<LabelImage> labels, Supplier<int[]> to,
      LabelResize resize) {
    return labels == null ? null : () -> {
      int[] wh = to.get();
      return resize.apply(labels.get(), wh[0], wh[1]);
    };
  }

  /** One class: the half-area rule of {@link Resize#foreground}; several: nearest id. */
  private static LabelImage classIds(LabelImage classes, int width, int height) {
    return classes.max() <= 1 ? Resize.foreground(classes, width, height)
        : Resize.labels(classes, width, height);
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
