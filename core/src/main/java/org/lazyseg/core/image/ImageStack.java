package org.lazyseg.core.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.lazyseg.core.image.ImageFiles.ImageFileException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * The planes of an image file, each read when asked for as {@link ImageFiles#readImage} reads
 * an image:
 * <ul>
 *   <li>a PNG, a JPEG or a one-page TIFF: one plane;
 *   <li>an OME-TIFF (OME-XML in the first page's ImageDescription): a plane per z and t,
 *       its C channels (separate pages) the channels of the plane, pages found through the
 *       XML's TiffData and DimensionOrder;
 *   <li>an ImageJ TIFF (ImageDescription {@code ImageJ=...}): a plane per slice and frame,
 *       its {@code channels=} pages the channels of the plane (ImageJ stores them c, z, t,
 *       channel fastest);
 *   <li>any other multi-page TIFF: a plane per page, except reduced-resolution copies
 *       (thumbnails, pyramid levels: bit 0 of NewSubfileType, tag 254).
 * </ul>
 * Integer samples of more than 8 bits are scaled by the effective bit depth of the whole file
 * when it has more than one page (all its planes on one scale, so a dim plane is not made
 * brighter than its neighbours), else of the image; other samples plane by plane, as
 * {@link ImageFiles#readImage} does. The physical pixel size comes from the OME-XML, else
 * ImageJ's description, else the TIFF resolution tags. A TIFF stays open until {@link #close}.
 * Every failure is an {@link ImageFileException} naming the file.
 */
public final class ImageStack implements AutoCloseable {
  /**
   * The physical width of a pixel (pixels are taken as square), its unit ({@code um} for
   * micrometres, else as the file names it; "" for units not named), and where it was read
   * ("OME-XML", "ImageJ description", "TIFF resolution tags", "pixel_size.csv").
   */
  public record PixelSize(double size, String unit, String source) {
    /** "0.25 um": the size to 6 significant digits and its unit. */
    public String value() {
      return new BigDecimal(size).round(new MathContext(6)).stripTrailingZeros().toPlainString()
          + (unit.isEmpty() ? "" : " " + unit);
    }

    /** "0.25 um (OME-XML)": {@link #value} and the source. */
    @Override
    public String toString() {
      return value() + " (" + source + ")";
    }
  }

  private static final int NEW_SUBFILE_TYPE = 254;
  private static final int IMAGE_DESCRIPTION = 270;
  private static final int X_RESOLUTION = 282;
  private static final int RESOLUTION_UNIT = 296;

  private final Path file;
  private final String kind;
  private final ImageInputStream in;
  private final ImageReader reader;
  private final int pages;
  /** The z and t counts of an OME or ImageJ stack; 0 and 0 for plain pages. */
  private final int sizeZ;
  private final int sizeT;
  /** Per plane, the page of each of its channels; null for a file that is not a TIFF. */
  private final int[][] planePages;
  private final PixelSize pixelSize;
  /** The largest value the planes are scaled by: unknown until a plane is read. */
  private long largest = Long.MIN_VALUE;

  private ImageStack(Path file, String kind, ImageInputStream in, ImageReader reader,
      int pages, int sizeZ, int sizeT, int[][] planePages, PixelSize pixelSize) {
    this.file = file;
    this.kind = kind;
    this.in = in;
    this.reader = reader;
    this.pages = pages;
    this.sizeZ = sizeZ;
    this.sizeT = sizeT;
    this.planePages = planePages;
    this.pixelSize = pixelSize;
  }

  /**
   * Opens an image file and reads how its planes are laid out, decoding no pixel. Fails as
   * {@link ImageFiles#size} does (missing file, not an image, damaged header, pixel limit),
   * and on OME or ImageJ descriptions that do not match the file's pages.
   */
  public static ImageStack open(Path file) {
    ImageFiles.size(file, "unreadable image");   // the words readImage fails with
    if (!isTiff(file)) {
      return new ImageStack(file, "", null, null, 1, 0, 0, null, null);
    }
    ImageInputStream in = null;
    ImageReader reader = null;
    try {
      in = ImageIO.createImageInputStream(file.toFile());
      reader = ImageFiles.decoder(file, in);
      in.seek(0);
      reader.setInput(in, false, false);   // decoder() ignores metadata; the tags are needed
      return tiff(file, in, reader);
    } catch (IOException | RuntimeException e) {
      close(in, reader);
      throw ImageFiles.asImageFileException(file, "unreadable image", e);
    }
  }

  public Path file() {
    return file;
  }

  /** How many planes the file holds. */
  public int planes() {
    return planePages == null ? 1 : planePages.length;
  }

  /** How many pages (TIFF image directories) the file holds; 1 for a PNG or JPEG. */
  public int pages() {
    return pages;
  }

  /**
   * What the planes are, for a log line: {@code "3 z planes of 2 channels (OME-TIFF)"},
   * {@code "5 pages"}; "1 plane" for a single image.
   */
  public String describe() {
    int n = planes();
    String what;
    if (sizeZ == 0) {
      what = n + (n == 1 ? " plane" : " pages");
    } else {
      String axes = sizeT > 1 && sizeZ > 1 ? sizeT + " t x " + sizeZ + " z planes"
          : sizeT > 1 ? sizeT + " t planes" : sizeZ > 1 ? sizeZ + " z planes" : "1 plane";
      int c = planePages[0].length;
      what = axes + (c > 1 ? " of " + c + " channels" : "");
    }
    return what + (kind.isEmpty() ? "" : " (" + kind + ")");
  }

  /**
   * The name of plane {@code plane} (from 0), to tell outputs apart: "" for a file of one
   * plane; else its t and z, counted from 1 ({@code t0002_z0013}, {@code z0003}), or {@code
   * p0004} for the fourth plane of a TIFF whose pages have no OME or ImageJ description.
   */
  public String planeName(int plane) {
    checkPlane(plane);
    if (planes() == 1) {
      return "";
    }
    if (sizeZ == 0) {
      return String.format(Locale.ROOT, "p%04d", plane + 1);
    }
    String z = String.format(Locale.ROOT, "z%04d", plane % sizeZ + 1);
    String t = String.format(Locale.ROOT, "t%04d", plane / sizeZ + 1);
    return sizeT > 1 && sizeZ > 1 ? t + "_" + z : sizeT > 1 ? t : z;
  }

  /**
   * Whether a plane's channels are separate images (an OME-TIFF's or ImageJ hyperstack's C)
   * rather than the colours of one picture; see {@link Channels#fits}.
   */
  public boolean separateChannels() {
    return planePages != null && planePages[0].length > 1;
  }

  /** The physical size of a pixel, where the file gives one. */
  public Optional<PixelSize> pixelSize() {
    return Optional.ofNullable(pixelSize);
  }

  /** Plane {@code plane} (from 0) with all its channels. */
  public FloatImage plane(int plane) {
    return read(plane, -1);
  }

  /**
   * Channel {@code channel} (from 0) of plane {@code plane}, as a one-channel image: one of
   * an OME-TIFF's channels, or the red, green or blue of a colour picture.
   */
  public FloatImage plane(int plane, int channel) {
    if (channel < 0) {
      throw new IllegalArgumentException("channel " + channel + " < 0");
    }
    return read(plane, channel);
  }

  private FloatImage read(int plane, int channel) {
    checkPlane(plane);
    if (planePages == null) {
      return pick(ImageFiles.readImage(file), channel);
    }
    int[] channelPages = planePages[plane];
    try {
      if (channel >= channelPages.length && channelPages.length > 1) {
        throw noSuchChannel(channel, channelPages.length);
      }
      if (channel >= 0 && channelPages.length > 1) {
        return page(channelPages[channel]);
      }
      if (channelPages.length == 1) {
        return pick(page(channelPages[0]), channel);
      }
      List<FloatImage> parts = new ArrayList<>();
      int channels = 0;
      for (int p : channelPages) {
        FloatImage part = page(p);
        FloatImage first = parts.isEmpty() ? part : parts.get(0);
        if (part.width() != first.width() || part.height() != first.height()) {
          throw new ImageFileException(file, "page " + (p + 1) + " is " + part.width() + " x "
              + part.height() + ", the other channels of its plane " + first.width() + " x "
              + first.height());
        }
        parts.add(part);
        channels += part.channels();
      }
      FloatImage first = parts.get(0);
      float[] data = new float[first.width() * first.height() * channels];
      int at = 0;
      for (FloatImage part : parts) {
        System.arraycopy(part.data(), 0, data, at, part.data().length);
        at += part.data().length;
      }
      return new FloatImage(first.width(), first.height(), channels, data);
    } catch (IOException | RuntimeException e) {
      throw ImageFiles.asImageFileException(file, "unreadable image", e);
    }
  }

  /** Channel {@code channel} of {@code image}; all of it for channel -1. */
  private FloatImage pick(FloatImage image, int channel) {
    if (channel < 0) {
      return image;
    }
    if (channel >= image.channels()) {
      throw noSuchChannel(channel, image.channels());
    }
    int plane = image.width() * image.height();
    return new FloatImage(image.width(), image.height(), 1,
        Arrays.copyOfRange(image.data(), channel * plane, (channel + 1) * plane));
  }

  private ImageFileException noSuchChannel(int channel, int channels) {
    return new ImageFileException(file, "no channel " + (channel + 1) + ": its planes have "
        + channels + (channels == 1 ? " channel" : " channels"));
  }

  private FloatImage page(int page) throws IOException {
    if (largest == Long.MIN_VALUE) {
      largest = pages > 1 ? largestOfAllPages() : -1;
    }
    return ImageFiles.toFloats(file, ImageFiles.decode(file, reader, page), largest);
  }

  /** The largest value that sets the scale of the planes ({@link ImageFiles#toFloats}). */
  private long largestOfAllPages() throws IOException {
    ImageTypeSpecifier raw = reader.getRawImageType(planePages[0][0]);
    if (raw != null && raw.getSampleModel().getSampleSize(0) <= 8) {
      return -1;   // 8 bits or fewer: scaled by their own depth, nothing to decode
    }
    long max = -1;
    for (int[] channelPages : planePages) {
      for (int p : channelPages) {
        BufferedImage img = ImageFiles.decode(file, reader, p);
        max = Math.max(max, ImageFiles.largestScaledValue(img));
        if (max < 0) {
          return -1;   // not an image scaled by its bit depth: no decoding of the rest
        }
      }
    }
    return max;
  }

  private void checkPlane(int plane) {
    if (plane < 0 || plane >= planes()) {
      throw new IllegalArgumentException("plane " + plane + " of " + planes());
    }
  }

  @Override
  public void close() {
    close(in, reader);
  }

  private static void close(ImageInputStream in, ImageReader reader) {
    if (reader != null) {
      reader.dispose();
    }
    if (in != null) {
      try {
        in.close();
      } catch (IOException e) {
        // Only read from: nothing was lost.
      }
    }
  }

  // ---- TIFF layouts ----------------------------------------------------------------------

  private static boolean isTiff(Path file) {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(4);
    } catch (IOException e) {
      throw new ImageFileException(file, "cannot read (" + e.getMessage() + ")");
    }
    // II*\0 or MM\0* (TIFF), II+\0 or MM\0+ (BigTIFF)
    return head.length == 4 && ((head[0] == 'I' && head[1] == 'I' && head[3] == 0
        && (head[2] == 42 || head[2] == 43)) || (head[0] == 'M' && head[1] == 'M'
        && head[2] == 0 && (head[3] == 42 || head[3] == 43)));
  }

  private static ImageStack tiff(Path file, ImageInputStream in, ImageReader reader)
      throws IOException {
    int pages = reader.getNumImages(true);
    Map<Integer, String> first = fields(reader.getImageMetadata(0));
    String description = first.getOrDefault(IMAGE_DESCRIPTION, "").strip();
    if (description.startsWith("<") && description.contains("<OME")) {
      return ome(file, in, reader, pages, description, first);
    }
    if (description.startsWith("ImageJ=")) {
      return imageJ(file, in, reader, pages, description, first);
    }
    List<int[]> planes = new ArrayList<>();
    for (int p = 0; p < pages; p++) {
      Map<Integer, String> f = p == 0 ? first : fields(reader.getImageMetadata(p));
      if (p == 0 || ((long) number(f.getOrDefault(NEW_SUBFILE_TYPE, "0")) & 1) == 0) {
        planes.add(new int[] {p});
      }
    }
    return new ImageStack(file, planes.size() > 1 ? "TIFF" : "", in, reader, pages, 0, 0,
        planes.toArray(int[][]::new), resolution(first, null));
  }

  /**
   * An ImageJ TIFF: pages in the order c, z, t (channel fastest), as ImageJ's {@code images},
   * {@code channels}, {@code slices} and {@code frames} say. Its pixel width is 1 /
   * XResolution in the description's {@code unit} (ImageJ's {@code spacing} is the z step).
   */
  private static ImageStack imageJ(Path file, ImageInputStream in, ImageReader reader,
      int pages, String description, Map<Integer, String> first) {
    Map<String, String> keys = new HashMap<>();
    for (String line : description.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        keys.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
      }
    }
    int images = count(file, keys, "images");
    int c = count(file, keys, "channels");
    int z = count(file, keys, "slices");
    int t = count(file, keys, "frames");
    if (c == 1 && z == 1 && t == 1) {
      z = images;   // a plain stack: ImageJ writes only images=
    }
    if ((long) c * z * t != images || images != pages) {
      throw new ImageFileException(file, "its ImageJ description says " + images + " images ("
          + c + " channels x " + z + " slices x " + t + " frames), the file has " + pages
          + (pages == 1 ? " page" : " pages") + ": not read (save it again from ImageJ or Fiji"
          + " as TIFF)");
    }
    int[][] planes = new int[z * t][c];
    for (int ti = 0; ti < t; ti++) {
      for (int zi = 0; zi < z; zi++) {
        for (int ci = 0; ci < c; ci++) {
          planes[ti * z + zi][ci] = (ti * z + zi) * c + ci;
        }
      }
    }
    return new ImageStack(file, "ImageJ", in, reader, pages, z, t, planes,
        resolution(first, unescape(keys.get("unit"))));
  }

  private static int count(Path file, Map<String, String> keys, String key) {
    String value = keys.getOrDefault(key, "1");
    try {
      int n = Integer.parseInt(value);
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ImageFileException(file, "its ImageJ description has " + key + "=" + value
        + ", not a count >= 1");
  }

  /** ImageJ writes non-ASCII characters of its description as Java's backslash-u escapes. */
  private static String unescape(String s) {
    if (s == null) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      if (s.startsWith("\\u", i) && i + 6 <= s.length()
          && s.substring(i + 2, i + 6).matches("[0-9a-fA-F]{4}")) {
        out.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
        i += 5;
      } else {
        out.append(s.charAt(i));
      }
    }
    return out.toString();
  }

  /**
   * An OME-TIFF: the first Image's Pixels give SizeZ, SizeC, SizeT and DimensionOrder, its
   * TiffData elements which page (IFD) holds which plane (none: page i is the i-th plane in
   * DimensionOrder; IFD, FirstZ/FirstC/FirstT and PlaneCount as the OME-TIFF specification
   * defines them). Bio-Formats reads OME-TIFF in full, but is a large dependency for these
   * few attributes of one element.
   */
  private static ImageStack ome(Path file, ImageInputStream in, ImageReader reader, int pages,
      String xml, Map<Integer, String> first) {
    Element pixels = omePixels(file, xml);
    int z = omeCount(file, pixels, "SizeZ");
    int sizeC = omeCount(file, pixels, "SizeC");
    int t = omeCount(file, pixels, "SizeT");
    NodeList channelElements = pixels.getElementsByTagNameNS("*", "Channel");
    int samples = 1;
    if (channelElements.getLength() > 0) {
      String spp = ((Element) channelElements.item(0)).getAttribute("SamplesPerPixel");
      samples = spp.isEmpty() ? 1 : omeInt(file, "SamplesPerPixel", spp);
    }
    // SizeC counts samples: an RGB OME-TIFF has SizeC 3 in one page per plane.
    int c = sizeC % samples == 0 && samples >= 1 ? sizeC / samples : sizeC;
    String order = pixels.getAttribute("DimensionOrder");
    if (!order.matches("XY(ZCT|ZTC|CZT|CTZ|TZC|TCZ)")) {
      throw new ImageFileException(file, "OME-XML DimensionOrder '" + order
          + "' is not XY followed by Z, C and T");
    }
    NodeList tiffData = pixels.getElementsByTagNameNS("*", "TiffData");
    for (int k = 0; k < tiffData.getLength(); k++) {
      NodeList uuid = ((Element) tiffData.item(k)).getElementsByTagNameNS("*", "UUID");
      String name = uuid.getLength() > 0 ? ((Element) uuid.item(0)).getAttribute("FileName") : "";
      if (!name.isEmpty() && !name.equals(file.getFileName().toString())) {
        throw new ImageFileException(file, "a multi-file OME-TIFF (planes in " + name
            + "): LazySeg reads OME-TIFFs that hold all their planes");
      }
    }
    if ((long) z * c * t > pages) {
      // Each plane of each channel is a page of its own: checked before any array is sized.
      throw new ImageFileException(file, "its OME-XML describes " + (long) z * c * t
          + " pages (SizeZ " + z + " x SizeC " + c + " x SizeT " + t + "), the file has "
          + pages);
    }
    int total = z * c * t;
    int[] ifd = new int[total];
    Arrays.fill(ifd, -1);
    if (tiffData.getLength() == 0) {
      for (int i = 0; i < total; i++) {
        ifd[i] = i;
      }
    }
    for (int k = 0; k < tiffData.getLength(); k++) {
      Element td = (Element) tiffData.item(k);
      boolean hasIfd = td.hasAttribute("IFD");
      int page = hasIfd ? omeInt(file, "IFD", td.getAttribute("IFD")) : 0;
      int count = td.hasAttribute("PlaneCount")
          ? omeInt(file, "PlaneCount", td.getAttribute("PlaneCount")) : hasIfd ? 1 : pages;
      int start = omeIndex(order, first(file, td, "FirstZ", z), first(file, td, "FirstC", c),
          first(file, td, "FirstT", t), z, c, t);
      for (int i = 0; i < count && start + i < total; i++) {
        ifd[start + i] = page + i;
      }
    }
    int[][] planes = new int[z * t][c];
    for (int ti = 0; ti < t; ti++) {
      for (int zi = 0; zi < z; zi++) {
        for (int ci = 0; ci < c; ci++) {
          int page = ifd[omeIndex(order, zi, ci, ti, z, c, t)];
          if (page < 0 || page >= pages) {
            throw new ImageFileException(file, "its OME-XML puts plane z" + (zi + 1) + " c"
                + (ci + 1) + " t" + (ti + 1) + (page < 0 ? " in no page (the file has "
                    + pages + ")" : " in page " + (page + 1) + ", but the file has " + pages));
          }
          planes[ti * z + zi][ci] = page;
        }
      }
    }
    PixelSize size = null;
    String width = pixels.getAttribute("PhysicalSizeX");
    if (!width.isEmpty()) {
      double w = number(width);
      String unit = unit(pixels.hasAttribute("PhysicalSizeXUnit")
          ? pixels.getAttribute("PhysicalSizeXUnit") : "µm");   // the schema's default
      if (w > 0 && Double.isFinite(w) && unit != null) {
        size = new PixelSize(w, unit, "OME-XML");
      }
    }
    return new ImageStack(file, "OME-TIFF", in, reader, pages, z, t, planes,
        size != null ? size : resolution(first, null));
  }

  /** The Pixels element of the one Image of an OME-XML text. */
  private static Element omePixels(Path file, String xml) {
    Document doc;
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      // Text from a user's file: no DTDs, no external entities.
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setExpandEntityReferences(false);
      javax.xml.parsers.DocumentBuilder builder = factory.newDocumentBuilder();
      builder.setErrorHandler(null);   // the exception says it; not also on stderr
      doc = builder.parse(new InputSource(new StringReader(xml)));
    } catch (Exception e) {
      throw new ImageFileException(file, "its OME-XML description is not XML ("
          + ImageFiles.reason(e) + ")");
    }
    NodeList images = doc.getElementsByTagNameNS("*", "Image");
    if (images.getLength() == 0) {
      NodeList binaryOnly = doc.getElementsByTagNameNS("*", "BinaryOnly");
      throw new ImageFileException(file, binaryOnly.getLength() > 0
          ? "its OME-XML is in another file (" + ((Element) binaryOnly.item(0))
              .getAttribute("MetadataFile") + "): LazySeg reads OME-TIFFs that hold it"
          : "its OME-XML describes no Image");
    }
    if (images.getLength() > 1) {
      throw new ImageFileException(file, "an OME-TIFF of " + images.getLength()
          + " images (series): LazySeg reads OME-TIFFs of one; save each series to a file");
    }
    NodeList pixels = ((Element) images.item(0)).getElementsByTagNameNS("*", "Pixels");
    if (pixels.getLength() != 1) {
      throw new ImageFileException(file, "its OME-XML Image has no Pixels element");
    }
    return (Element) pixels.item(0);
  }

  /** The index of plane (z, c, t) among all planes in DimensionOrder {@code order}. */
  private static int omeIndex(String order, int z, int c, int t, int sizeZ, int sizeC,
      int sizeT) {
    int index = 0;
    for (int k = 4; k >= 2; k--) {   // slowest axis first
      char axis = order.charAt(k);
      index = index * (axis == 'Z' ? sizeZ : axis == 'C' ? sizeC : sizeT)
          + (axis == 'Z' ? z : axis == 'C' ? c : t);
    }
    return index;
  }

  private static int omeCount(Path file, Element pixels, String name) {
    int n = omeInt(file, name, pixels.getAttribute(name));
    if (n < 1) {
      throw new ImageFileException(file, "its OME-XML has " + name + "=" + n + ", not >= 1");
    }
    return n;
  }

  /** A TiffData's FirstZ, FirstC or FirstT: 0 when absent, checked against its axis' size. */
  private static int first(Path file, Element tiffData, String name, int size) {
    int n = tiffData.hasAttribute(name) ? omeInt(file, name, tiffData.getAttribute(name)) : 0;
    if (n >= size) {
      throw new ImageFileException(file, "its OME-XML has a TiffData " + name + "=" + n
          + ", past the " + size + " there are");
    }
    return n;
  }

  private static int omeInt(Path file, String name, String value) {
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ImageFileException(file, "its OME-XML has " + name + "=\"" + value
        + "\", not a whole number >= 0");
  }

  /**
   * The pixel size of the TIFF resolution tags: 1 / XResolution, in {@code unit} when given
   * (ImageJ's description), else in ResolutionUnit's (2 inch, its default; 3 cm; 1 none).
   */
  private static PixelSize resolution(Map<Integer, String> fields, String unit) {
    String x = fields.get(X_RESOLUTION);
    if (x == null) {
      return null;
    }
    double perUnit = number(x);
    String source = unit != null ? "ImageJ description" : "TIFF resolution tags";
    if (unit == null) {
      unit = switch ((int) number(fields.getOrDefault(RESOLUTION_UNIT, "2"))) {
        case 2 -> "inch";
        case 3 -> "cm";
        default -> null;
      };
    }
    unit = unit(unit);
    if (unit == null || !(perUnit > 0) || Double.isInfinite(perUnit)) {
      return null;
    }
    return new PixelSize(1 / perUnit, unit, source);
  }

  /** A unit as a CSV column shows it: micrometres as {@code um}; null for none (pixels). */
  private static String unit(String unit) {
    if (unit == null) {
      return null;
    }
    String u = unit.strip();
    return switch (u.toLowerCase(Locale.ROOT)) {
      case "", "pixel", "pixels", "px" -> null;
      case "micron", "microns", "um", "µm", "μm", "micrometer", "micrometre" -> "um";
      default -> u;
    };
  }

  /** A TIFF number as the metadata tree writes it: an integer, a decimal or a rational n/d. */
  private static double number(String value) {
    String v = value.strip();
    int slash = v.indexOf('/');
    try {
      return slash > 0 ? Double.parseDouble(v.substring(0, slash))
          / Double.parseDouble(v.substring(slash + 1)) : Double.parseDouble(v);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /**
   * The first value of each field of a TIFF page, by tag number, from the reader's native
   * metadata tree: TwelveMonkeys' and the JDK's TIFF readers both write TIFFField elements
   * with a {@code number} and values in {@code value} attributes of their children.
   */
  private static Map<Integer, String> fields(IIOMetadata metadata) {
    Map<Integer, String> out = new HashMap<>();
    if (metadata == null || metadata.getNativeMetadataFormatName() == null) {
      return out;
    }
    Node root = metadata.getAsTree(metadata.getNativeMetadataFormatName());
    collect(root, out);
    return out;
  }

  private static void collect(Node node, Map<Integer, String> out) {
    for (Node n = node.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n.getNodeName().equals("TIFFField")) {
        String number = attribute(n, "number");
        String value = firstValue(n);
        if (number != null && value != null) {
          try {
            out.putIfAbsent(Integer.parseInt(number), value);
          } catch (NumberFormatException e) {
            // not a tag we look up
          }
        }
      } else {
        collect(n, out);
      }
    }
  }

  private static String firstValue(Node node) {
    for (Node n = node.getFirstChild(); n != null; n = n.getNextSibling()) {
      String v = attribute(n, "value");
      if (v != null) {
        return v;
      }
      v = firstValue(n);
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  private static String attribute(Node node, String name) {
    NamedNodeMap attributes = node.getAttributes();
    Node a = attributes == null ? null : attributes.getNamedItem(name);
    return a == null ? null : a.getNodeValue();
  }
}
