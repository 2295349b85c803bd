package dev.mesoskit.examples.imageinvert;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.RenderedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Encoded test images, all made here with the JDK: real ones, and the heads of formats it lacks. */
final class TestImages {
  /** A 1x1 lossless WebP (the one feature checks use), which Chromium shows. */
  static final byte[] WEBP = Base64.getDecoder()
      .decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==");
  /** The start of a JPEG XL codestream (signature FF 0A and a size header). */
  static final byte[] JXL = {(byte) 0xFF, 0x0A, (byte) 0xFA, 0x7F, 0x01, (byte) 0x90, 0x08, 0x06,
      0x01, 0x00};
  /** The start of an AVIF file: a box of type ftyp with the brand avif. */
  static final byte[] AVIF = {0, 0, 0, 0x20, 'f', 't', 'y', 'p', 'a', 'v', 'i', 'f', 0, 0, 0, 0,
      'a', 'v', 'i', 'f', 'm', 'i', 'f', '1', 'm', 'i', 'a', 'f'};
  /** The start of a HEIC file (brand heic). */
  static final byte[] HEIC = {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c', 0, 0, 0, 0,
      'm', 'i', 'f', '1', 'h', 'e', 'i', 'c'};

  private TestImages() {}

  /** A small picture: a colour gradient with a disc. */
  static BufferedImage picture(int width, int height) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setPaint(new java.awt.GradientPaint(0, 0, new Color(250, 120, 10), width, height,
        new Color(20, 60, 230)));
    g.fillRect(0, 0, width, height);
    g.setColor(new Color(30, 200, 90));
    g.fillOval(width / 4, height / 4, width / 2, height / 2);
    g.dispose();
    return img;
  }

  /** The image in a format ImageIO writes with its default settings. */
  static byte[] encode(RenderedImage img, String format) {
    return encode(img, format, null);
  }

  /**
   * The image in a format ImageIO writes.
   *
   * @param compression the compression type (TIFF: LZW, Deflate, ...), or null for the default
   */
  static byte[] encode(RenderedImage img, String format, String compression) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(ios);
      ImageWriteParam param = writer.getDefaultWriteParam();
      if (compression != null) {
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionType(compression);
      }
      writer.write(null, new IIOImage(img, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  /**
   * A 4-channel JPEG as Photoshop writes them: an Adobe APP14 marker (transform 0: CMYK, 2: YCCK)
   * and the samples Adobe stores, which are inverted ink amounts ({@code 255 - C}). Each 16x16
   * patch (two JPEG blocks wide, so it decodes nearly flat) has one of {@code colours}, given as
   * stored CMYK; for YCCK the first three are stored as the YCbCr of {@code 255 - stored}, which
   * decoders turn back into these stored CMYK values.
   */
  static byte[] adobeJpeg(int[][] colours, int transform) {
    WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE,
        16 * colours.length, 16, 4, null);
    for (int i = 0; i < colours.length; i++) {
      int[] c = colours[i];
      int[] px = transform == 0 ? c : ycck(c);
      for (int y = 0; y < 16; y++) {
        for (int x = 16 * i; x < 16 * i + 16; x++) {
          raster.setPixel(x, y, px);
        }
      }
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(plain)) {
      writer.setOutput(ios);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(1f);
      writer.write(null, new IIOImage(raster, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    byte[] bytes = plain.toByteArray(); // SOI, then no APP marker: insert Adobe's after SOI
    ByteArrayOutputStream adobe = new ByteArrayOutputStream();
    adobe.write(bytes, 0, 2);
    adobe.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100,
        0, 0, 0, 0, (byte) transform});
    adobe.write(bytes, 2, bytes.length - 2);
    return adobe.toByteArray();
  }

  /** Stored CMYK as stored YCCK: the YCbCr (JFIF) of 255 - C, 255 - M, 255 - Y, and K. */
  private static int[] ycck(int[] cmyk) {
    double r = 255 - cmyk[0];
    double g = 255 - cmyk[1];
    double b = 255 - cmyk[2];
    return new int[] {
        (int) Math.round(0.299 * r + 0.587 * g + 0.114 * b),
        (int) Math.round(128 - 0.168736 * r - 0.331264 * g + 0.5 * b),
        (int) Math.round(128 + 0.5 * r - 0.418688 * g - 0.081312 * b),
        cmyk[3]};
  }
}
