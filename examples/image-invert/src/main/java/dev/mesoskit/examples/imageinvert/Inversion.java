package dev.mesoskit.examples.imageinvert;

import dev.mesoskit.core.executor.PermanentFailure;
import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.image.Raster;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DataBufferUShort;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.SampleModel;
import java.awt.image.SinglePixelPackedSampleModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Inverts one encoded image: RGB inverted, alpha kept, written in the format the output name's
 * extension names (JPEG at quality 0.95; PNG for any other name, such as a TIFF's). Inverted is
 * what a browser shows, inverted: CMYK JPEGs become RGB the way browsers show them (see
 * {@link #cmykToRgb}), layouts without a plain 8- or 16-bit RGB or gray raster (float or 32-bit
 * samples, CIELab TIFFs, CMYK with a colour profile) become 8-bit sRGB first. Input that can never
 * be inverted fails with a {@link PermanentFailure} whose message says why.
 *
 * <p>Threading: safe from any thread. Concurrent inversions share a heap budget (60% of the
 * maximum heap): each reserves about twice its decoded size once the header is read and waits
 * while others hold the rest, so several large images queue instead of exhausting the heap.
 */
public final class Inversion {
  /** Heap the images of concurrent inversions in this JVM may take: 60% of the maximum heap. */
  private static final HeapBudget HEAP = HeapBudget.ofHeap(0.6);

  /** The JPEG quality of inverted JPEGs. */
  public static final float JPEG_QUALITY = 0.95f;
  /** Why a JPEG fails when Java's ImageIO has no decoder for its colour type. */
  public static final String CMYK_JPEG = "CMYK JPEG is not supported: Java ImageIO cannot decode"
      + " CMYK or YCCK JPEGs; convert the image to RGB first";

  private Inversion() {}

  /**
   * Decodes, inverts and encodes an image.
   *
   * @param input the encoded image
   * @param outputName the file name of the result; its extension picks the format
   * @param maxPixels the largest width times height the header may declare
   * @return the encoded inverse
   * @throws PermanentFailure when the input is not an image, truncated, too large (for
   *     {@code maxPixels} or for this JVM's heap) or unsupported
   * @throws InterruptedIOException when interrupted (the task was killed) while waiting for heap
   */
  public static byte[] invert(byte[] input, String outputName, long maxPixels) throws IOException {
    return invert(input, outputName, maxPixels, HEAP);
  }

  /** {@link #invert(byte[], String, long)} within a heap budget. */
  static byte[] invert(byte[] input, String outputName, long maxPixels, HeapBudget heap)
      throws IOException {
    HeapBudget.Reservation[] held = new HeapBudget.Reservation[1];
    try {
      return encode(inverse(decode(input, maxPixels, (bytes, what) ->
          held[0] = heap.reserve(bytes, what))), formatOf(outputName));
    } finally {
      if (held[0] != null) {
        held[0].close();
      }
    }
  }

  /** Reserves heap for a decoded image once its header says how large it is. */
  @FunctionalInterface
  interface Reserve {
    void reserve(long bytes, String what) throws IOException;
  }

  /**
   * The ImageIO format name an output file name asks for: its extension, or png.
   *
   * @param name a file name
   * @return jpeg, png, gif or bmp; png for any other extension (tif, webp, none), since PNG
   *     keeps every image exactly and every browser shows it
   */
  public static String formatOf(String name) {
    String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    return switch (ext) {
      case "jpg", "jpeg" -> "jpeg";
      case "gif", "bmp" -> ext;
      default -> "png";
    };
  }

  static BufferedImage decode(byte[] input, long maxPixels) throws IOException {
    return decode(input, maxPixels, (bytes, what) -> { });
  }

  static BufferedImage decode(byte[] input, long maxPixels, Reserve heap) throws IOException {
    // Memory-cached streams: ImageIO.create*Stream would copy every image through a temp file.
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(input))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new PermanentFailure(ImageFormats.unreadable(input, input.length));
      }
      ImageReader reader = readers.next();
      String format = reader.getFormatName().toUpperCase(Locale.ROOT);
      List<String> warnings = new ArrayList<>();
      reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
      try {
        reader.setInput(in, true, true);
        long width = reader.getWidth(0);
        long height = reader.getHeight(0);
        if (width * height > maxPixels) {
          throw new PermanentFailure("image too large: the " + format + " header declares "
              + width + "x" + height + " = " + width * height + " pixels, the limit is "
              + maxPixels);
        }
        // The decoded raster, and about as much again for the encoder's copies and output.
        heap.reserve(2 * width * height * bytesPerPixel(reader) + input.length,
            "a " + width + "x" + height + " " + format);
        BufferedImage image = reader.read(0);
        if (!warnings.isEmpty()) {
          throw new PermanentFailure("corrupt " + format + ": " + String.join("; ", warnings));
        }
        return displayable(image);
      } catch (PermanentFailure | InterruptedIOException e) {
        throw e;
      } catch (IOException | RuntimeException e) {
        String why = String.valueOf(e.getMessage());
        if (format.equals("JPEG") && why.contains("Unsupported Image Type")) {
          throw new PermanentFailure(CMYK_JPEG, e);
        }
        throw new PermanentFailure("cannot decode " + format + " (truncated or corrupt?): "
            + why, e);
      } finally {
        reader.dispose();
      }
    }
  }

  /**
   * Inverts the colour samples of the layouts decoders produce (8- or 16-bit interleaved samples,
   * packed ints) straight in the raster's array; alpha stays. Each colour sample becomes
   * {@code max - sample}, which for a field of all-ones {@code max} is {@code sample ^ max}.
   *
   * @return false for any other layout, which the caller inverts sample by sample
   */
  private static boolean invertInBuffer(WritableRaster raster, int colourBands) {
    DataBuffer buffer = raster.getDataBuffer();
    if (raster.getSampleModelTranslateX() != 0 || raster.getSampleModelTranslateY() != 0
        || buffer.getNumBanks() != 1 || buffer.getOffset() != 0) {
      return false;
    }
    int width = raster.getWidth();
    int height = raster.getHeight();
    SampleModel model = raster.getSampleModel();
    if (model instanceof SinglePixelPackedSampleModel packed
        && buffer instanceof DataBufferInt ints) {
      int mask = 0;
      for (int band = 0; band < colourBands; band++) {
        mask |= packed.getBitMasks()[band];
      }
      int[] data = ints.getData();
      for (int y = 0; y < height; y++) {
        int row = y * packed.getScanlineStride();
        for (int x = row; x < row + width; x++) {
          data[x] ^= mask;
        }
      }
      return true;
    }
    if (!(model instanceof ComponentSampleModel interleaved)) {
      return false;
    }
    for (int band = 0; band < model.getNumBands(); band++) {
      if (interleaved.getBankIndices()[band] != 0) {
        return false;
      }
    }
    int[] offsets = interleaved.getBandOffsets();
    int pixelStride = interleaved.getPixelStride();
    int rowStride = interleaved.getScanlineStride();
    // Every sample of a row is a colour sample when the bands fill each pixel exactly.
    boolean allColour = pixelStride == colourBands && colourBands == model.getNumBands()
        && Arrays.stream(offsets).sorted().boxed().toList()
            .equals(IntStream.range(0, pixelStride).boxed().toList());
    if (buffer instanceof DataBufferByte bytes && allSampleSizes(model, 8)) {
      byte[] data = bytes.getData();
      for (int y = 0; y < height; y++) {
        int row = y * rowStride;
        if (allColour) {
          for (int i = row; i < row + width * pixelStride; i++) {
            data[i] ^= (byte) 0xFF;
          }
          continue;
        }
        for (int pixel = row; pixel < row + width * pixelStride; pixel += pixelStride) {
          for (int band = 0; band < colourBands; band++) {
            data[pixel + offsets[band]] ^= (byte) 0xFF;
          }
        }
      }
      return true;
    }
    if (buffer instanceof DataBufferUShort shorts && allSampleSizes(model, 16)) {
      short[] data = shorts.getData();
      for (int y = 0; y < height; y++) {
        for (int pixel = y * rowStride; pixel < y * rowStride + width * pixelStride;
            pixel += pixelStride) {
          for (int band = 0; band < colourBands; band++) {
            data[pixel + offsets[band]] ^= (short) 0xFFFF;
          }
        }
      }
      return true;
    }
    return false;
  }

  private static boolean allSampleSizes(SampleModel model, int bits) {
    for (int size : model.getSampleSize()) {
      if (size != bits) {
        return false;
      }
    }
    return true;
  }

  /** Bytes per pixel of the image the reader will decode; 4 when it cannot say. */
  private static long bytesPerPixel(ImageReader reader) {
    try {
      Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
      if (types.hasNext()) {
        int bits = 0;
        for (int size : types.next().getSampleModel().getSampleSize()) {
          bits += size;
        }
        return Math.max(1, (bits + 7) / 8);
      }
    } catch (IOException | RuntimeException e) {
      // fall through: a reader that cannot tell before decoding
    }
    return 4;
  }

  /**
   * The image in a layout whose inverse is what the viewer sees inverted: as it is when its
   * raster holds plain RGB or gray samples of up to 16 bits, or a palette; CMYK without a colour
   * profile through {@link #cmykToRgb}; anything else (float or 32-bit samples, CIELab, CMYK with
   * a profile) drawn into 8-bit sRGB, alpha kept, Java converting its colours.
   */
  static BufferedImage displayable(BufferedImage image) {
    ColorModel cm = image.getColorModel();
    ColorSpace cs = cm.getColorSpace();
    if (cs.getType() == ColorSpace.TYPE_CMYK && !(cs instanceof ICC_ColorSpace)) {
      return cmykToRgb(image);
    }
    int type = image.getRaster().getDataBuffer().getDataType();
    if (cm instanceof IndexColorModel || cm instanceof DirectColorModel
        || (cs.getType() == ColorSpace.TYPE_RGB || cs.getType() == ColorSpace.TYPE_GRAY)
            && (type == DataBuffer.TYPE_BYTE || type == DataBuffer.TYPE_USHORT)) {
      return image;
    }
    BufferedImage srgb = new BufferedImage(image.getWidth(), image.getHeight(),
        cm.hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
    Graphics2D g = srgb.createGraphics();
    g.drawImage(image, 0, 0, null);
    g.dispose();
    return srgb;
  }

  /**
   * CMYK as browsers (Chromium, Firefox) and Pillow show a CMYK JPEG without a colour profile:
   * {@code R = 255 (1 - C) (1 - K)}, G and B alike, taken as sRGB. ImageIO hands over ink
   * amounts (it un-inverts the inverted samples Adobe writes and turns YCCK into CMYK) in a colour
   * space whose own conversion treats that product as linear light, which lightens every colour
   * but black and white (stored CMYK 200, 100, 50, 180 shows as 196, 144, 104 instead of the
   * browsers' 141, 70, 35); this takes the samples instead. A fifth band is alpha.
   */
  static BufferedImage cmykToRgb(BufferedImage cmyk) {
    Raster in = cmyk.getRaster();
    int width = in.getWidth();
    int bands = in.getNumBands();
    boolean alpha = bands > 4 && cmyk.getColorModel().hasAlpha();
    BufferedImage rgb = new BufferedImage(width, in.getHeight(),
        alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
    double[] max = new double[bands];
    for (int band = 0; band < bands; band++) {
      max[band] = (1L << in.getSampleModel().getSampleSize(band)) - 1;
    }
    int[] row = new int[width * bands];
    int[] out = new int[width];
    for (int y = 0; y < in.getHeight(); y++) {
      in.getPixels(0, y, width, 1, row);
      for (int x = 0, i = 0; x < width; x++, i += bands) {
        double white = 255 * (1 - row[i + 3] / max[3]);
        int pixel = alpha ? (int) Math.round(255 * row[i + 4] / max[4]) << 24 : 0;
        for (int c = 0; c < 3; c++) {
          pixel |= (int) Math.round(white * (1 - row[i + c] / max[c])) << (16 - 8 * c);
        }
        out[x] = pixel;
      }
      rgb.setRGB(0, y, width, 1, out, 0, width);
    }
    return rgb;
  }

  /** Inverts the colours; a palette image gets an inverted palette over the same indexes. */
  static BufferedImage inverse(BufferedImage image) {
    ColorModel cm = image.getColorModel();
    if (cm instanceof IndexColorModel icm) {
      int size = icm.getMapSize();
      byte[] r = new byte[size];
      byte[] g = new byte[size];
      byte[] b = new byte[size];
      byte[] a = new byte[size];
      icm.getReds(r);
      icm.getGreens(g);
      icm.getBlues(b);
      icm.getAlphas(a);
      for (int i = 0; i < size; i++) {
        r[i] = (byte) ~r[i];
        g[i] = (byte) ~g[i];
        b[i] = (byte) ~b[i];
      }
      return new BufferedImage(new IndexColorModel(icm.getPixelSize(), size, r, g, b, a),
          image.getRaster(), false, null);
    }
    WritableRaster raster = image.getRaster();
    if (invertInBuffer(raster, cm.getNumColorComponents())) {
      return image;
    }
    int[] samples = new int[raster.getWidth()];
    for (int band = 0; band < cm.getNumColorComponents(); band++) {
      int max = (1 << raster.getSampleModel().getSampleSize(band)) - 1;
      for (int y = 0; y < raster.getHeight(); y++) {
        raster.getSamples(0, y, raster.getWidth(), 1, band, samples);
        for (int x = 0; x < samples.length; x++) {
          samples[x] = max - samples[x];
        }
        raster.setSamples(0, y, raster.getWidth(), 1, band, samples);
      }
    }
    return image;
  }

  static byte[] encode(BufferedImage image, String format) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
    if (!writer.getOriginatingProvider().canEncodeImage(image)) {
      boolean alpha = image.getColorModel().hasAlpha() && format.equals("png");
      BufferedImage plain = new BufferedImage(image.getWidth(), image.getHeight(),
          alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
      Graphics2D g = plain.createGraphics();
      g.drawImage(image, 0, 0, null);
      g.dispose();
      image = plain;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      if (format.equals("jpeg")) {
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(JPEG_QUALITY);
      }
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }
}
