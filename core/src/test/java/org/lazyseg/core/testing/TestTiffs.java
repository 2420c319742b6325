package org.lazyseg.core.testing;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/**
 * Multi-page TIFFs as microscopes and ImageJ write them, for the tests of several modules:
 * pages through TwelveMonkeys' writer, with chosen TIFF tags (ImageDescription, resolution,
 * NewSubfileType) on chosen pages.
 */
public final class TestTiffs {
  private TestTiffs() {}

  public static final int NEW_SUBFILE_TYPE = 254;
  public static final int IMAGE_DESCRIPTION = 270;
  public static final int X_RESOLUTION = 282;
  public static final int Y_RESOLUTION = 283;
  public static final int RESOLUTION_UNIT = 296;

  /**
   * Writes {@code pages} as one TIFF, page i with the tags of {@code tags[i]} (if any), with
   * TwelveMonkeys' writer, or the JDK's for float samples (TwelveMonkeys writes none).
   */
  @SafeVarargs
  public static void write(Path file, BufferedImage[] pages, Map<Integer, String>... tags)
      throws IOException {
    boolean floats = pages[0].getRaster().getDataBuffer().getDataType() == DataBuffer.TYPE_FLOAT;
    ImageWriter writer = null;
    for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("tiff"); it.hasNext(); ) {
      ImageWriter w = it.next();
      if (w.getClass().getName().startsWith(floats ? "com.sun." : "com.twelvemonkeys.")) {
        writer = w;
      }
    }
    if (writer == null) {
      throw new IllegalStateException("no " + (floats ? "JDK" : "TwelveMonkeys") + " TIFF writer");
    }
    Files.deleteIfExists(file);
    try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
      writer.setOutput(out);
      writer.prepareWriteSequence(null);
      for (int p = 0; p < pages.length; p++) {
        IIOMetadata metadata =
            writer.getDefaultImageMetadata(new ImageTypeSpecifier(pages[p]),
                writer.getDefaultWriteParam());
        if (p < tags.length && tags[p] != null) {
          String format = metadata.getNativeMetadataFormatName();
          IIOMetadataNode root = new IIOMetadataNode(format);
          IIOMetadataNode ifd = new IIOMetadataNode("TIFFIFD");
          root.appendChild(ifd);
          tags[p].forEach((number, value) -> ifd.appendChild(field(number, value)));
          metadata.mergeTree(format, root);
        }
        writer.writeToSequence(new IIOImage(pages[p], null, metadata),
            writer.getDefaultWriteParam());
      }
      writer.endWriteSequence();
    } finally {
      writer.dispose();
    }
  }

  /** A TIFFField node of the metadata tree: the type follows the tag. */
  private static IIOMetadataNode field(int number, String value) {
    String type = switch (number) {
      case IMAGE_DESCRIPTION -> "Ascii";
      case X_RESOLUTION, Y_RESOLUTION -> "Rational";
      case NEW_SUBFILE_TYPE -> "Long";
      default -> "Short";
    };
    IIOMetadataNode f = new IIOMetadataNode("TIFFField");
    f.setAttribute("number", Integer.toString(number));
    IIOMetadataNode values = new IIOMetadataNode("TIFF" + type + "s");
    IIOMetadataNode v = new IIOMetadataNode("TIFF" + type);
    v.setAttribute("value", value);
    values.appendChild(v);
    f.appendChild(values);
    return f;
  }

  /** An 8-bit grey page of {@code w} x {@code h} pixels, all {@code value} but pixel 0,0 = 0. */
  public static BufferedImage grey(int w, int h, int value) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    int[] v = new int[w * h];
    java.util.Arrays.fill(v, value);
    v[0] = 0;
    img.getRaster().setSamples(0, 0, w, h, 0, v);
    return img;
  }

  /** {@code n} grey pages of 8 x 6: page i (from 0) holds 10 (i + 1). */
  public static BufferedImage[] numbered(int n) {
    BufferedImage[] pages = new BufferedImage[n];
    for (int i = 0; i < n; i++) {
      pages[i] = grey(8, 6, 10 * (i + 1));
    }
    return pages;
  }

  /**
   * OME-XML of one Image of 8 x 6 uint8 pixels, as the first page's ImageDescription of an
   * OME-TIFF; {@code pixelsAttributes} are added to Pixels (e.g. {@code
   * PhysicalSizeX="0.5"}), {@code tiffData} inside it (none: {@code <TiffData/>}).
   */
  public static String omeXml(String order, int z, int c, int t, String pixelsAttributes,
      String tiffData) {
    StringBuilder channels = new StringBuilder();
    for (int i = 0; i < c; i++) {
      channels.append(String.format(Locale.ROOT,
          "<Channel ID=\"Channel:0:%d\" SamplesPerPixel=\"1\"/>", i));
    }
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        + "<OME xmlns=\"http://www.openmicroscopy.org/Schemas/OME/2016-06\">"
        + "<Image ID=\"Image:0\" Name=\"test\"><Pixels ID=\"Pixels:0\" DimensionOrder=\""
        + order + "\" Type=\"uint8\" SizeX=\"8\" SizeY=\"6\" SizeZ=\"" + z + "\" SizeC=\"" + c
        + "\" SizeT=\"" + t + "\" " + pixelsAttributes + ">" + channels
        + (tiffData == null ? "<TiffData/>" : tiffData) + "</Pixels></Image></OME>";
  }
}
