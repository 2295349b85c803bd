package dev.mesoskit.examples.imageinvert;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mesoskit.core.executor.PermanentFailure;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;

/** Every input format the issue names, generated here: RGB inverted, alpha kept, format kept. */
class InversionTest {
  private static final long MAX_PIXELS = 1_000_000;
  private static final int W = 64;
  private static final int H = 48;

  /** A picture with gradients, edges and, for ARGB, a varying alpha. */
  private static BufferedImage picture(int type) {
    BufferedImage img = new BufferedImage(W, H, type);
    Graphics2D g = img.createGraphics();
    g.setPaint(new GradientPaint(0, 0, new Color(250, 120, 10, 255), W, H,
        new Color(20, 60, 230, type == BufferedImage.TYPE_INT_ARGB ? 40 : 255)));
    g.fillRect(0, 0, W, H);
    g.setColor(new Color(30, 200, 90));
    g.fillOval(10, 8, 24, 24);
    g.dispose();
    return img;
  }

  private static byte[] write(BufferedImage img, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(ImageIO.write(img, format, out)).as("ImageIO writes %s", format).isTrue();
    return out.toByteArray();
  }

  private static byte[] jpeg(BufferedImage img, boolean progressive) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(ios);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(0.95f);
      if (progressive) {
        param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
      }
      writer.write(null, new IIOImage(img, null, null), param);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  private static BufferedImage read(byte[] bytes) throws IOException {
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
    assertThat(img).as("decodable output").isNotNull();
    return img;
  }

  /** Every band of every pixel: colour samples are max - input, alpha samples equal. */
  private static void assertExactInverse(BufferedImage in, BufferedImage out) {
    assertThat(out.getWidth()).isEqualTo(in.getWidth());
    assertThat(out.getHeight()).isEqualTo(in.getHeight());
    if (in.getColorModel() instanceof IndexColorModel) {
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
          int a = in.getRGB(x, y);
          assertThat(out.getRGB(x, y)).as("pixel %d,%d", x, y)
              .isEqualTo((a & 0xFF000000) | (~a & 0xFFFFFF));
        }
      }
      return;
    }
    Raster a = in.getRaster();
    Raster b = out.getRaster();
    assertThat(b.getNumBands()).isEqualTo(a.getNumBands());
    int colors = in.getColorModel().getNumColorComponents();
    for (int band = 0; band < a.getNumBands(); band++) {
      int max = (1 << a.getSampleModel().getSampleSize(band)) - 1;
      assertThat(b.getSampleModel().getSampleSize(band)).isEqualTo(a.getSampleModel().getSampleSize(band));
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
          int expected = band < colors ? max - a.getSample(x, y, band) : a.getSample(x, y, band);
          assertThat(b.getSample(x, y, band)).as("band %d at %d,%d", band, x, y)
              .isEqualTo(expected);
        }
      }
    }
  }

  /** Mean absolute difference per sample between out and the exact inverse of in (8 bits). */
  private static double jpegError(BufferedImage in, BufferedImage out) {
    Raster a = in.getRaster();
    Raster b = out.getRaster();
    assertThat(b.getNumBands()).isEqualTo(a.getNumBands());
    long sum = 0;
    for (int band = 0; band < a.getNumBands(); band++) {
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
          sum += Math.abs(255 - a.getSample(x, y, band) - b.getSample(x, y, band));
        }
      }
    }
    return sum / (double) (a.getNumBands() * W * H);
  }

  private static String magic(byte[] bytes) {
    if ((bytes[0] & 0xff) == 0xFF && (bytes[1] & 0xff) == 0xD8) {
      return "jpeg";
    }
    if ((bytes[0] & 0xff) == 0x89 && bytes[1] == 'P') {
      return "png";
    }
    if (bytes[0] == 'M' && bytes[1] == 'M' || bytes[0] == 'I' && bytes[1] == 'I') {
      return "tiff";
    }
    return bytes[0] == 'G' && bytes[1] == 'I' ? "gif" : bytes[0] == 'B' && bytes[1] == 'M' ? "bmp" : "?";
  }

  private void assertJpeg(byte[] input, int bands) throws IOException {
    byte[] out = Inversion.invert(input, "x-inverted.jpg", MAX_PIXELS);
    assertThat(magic(out)).isEqualTo("jpeg");
    BufferedImage decodedIn = read(input);
    BufferedImage decodedOut = read(out);
    assertThat(decodedOut.getRaster().getNumBands()).isEqualTo(bands);
    assertThat(jpegError(decodedIn, decodedOut)).isLessThan(2.0);
  }

  @Test
  void baselineJpegIsInvertedWithinJpegErrorAndStaysJpeg() throws IOException {
    assertJpeg(jpeg(picture(BufferedImage.TYPE_INT_RGB), false), 3);
  }

  @Test
  void progressiveJpegIsInvertedWithinJpegError() throws IOException {
    byte[] progressive = jpeg(picture(BufferedImage.TYPE_INT_RGB), true);
    assertThat(progressive).as("has an SOF2 (progressive) marker")
        .containsSequence((byte) 0xFF, (byte) 0xC2);
    assertJpeg(progressive, 3);
  }

  @Test
  void grayscaleJpegStaysOneBandGray() throws IOException {
    assertJpeg(jpeg(picture(BufferedImage.TYPE_BYTE_GRAY), false), 1);
  }

  /**
   * Browsers (Chromium, Firefox) and Pillow show a CMYK JPEG without a colour profile as
   * {@code R = C * K / 255} of the stored (Adobe-inverted) samples, G and B alike: Chromium shows
   * the first patch as (141, 70, 35). Java's own CMYK conversion shows it as (196, 144, 104),
   * lighter, because it takes that product for linear light; the inverse must be of what
   * browsers show, within JPEG error, for CMYK and for YCCK.
   */
  @Test
  void cmykAndYcckJpegsAreInvertedAsBrowsersShowThem() throws IOException {
    int[][] stored = {{200, 100, 50, 180}, {255, 255, 255, 255}, {0, 0, 0, 0},
        {30, 220, 128, 240}, {128, 128, 128, 128}, {255, 0, 128, 255}};
    for (int transform : new int[] {0, 2}) { // Adobe APP14: 0 CMYK, 2 YCCK, as Photoshop writes
      byte[] input = TestImages.adobeJpeg(stored, transform);
      assertThat(read(input).getColorModel().getColorSpace().getType())
          .isEqualTo(ColorSpace.TYPE_CMYK);
      for (String name : new String[] {"x-inverted.jpg", "x-inverted.png"}) {
        BufferedImage out = read(Inversion.invert(input, name, MAX_PIXELS));
        assertThat(out.getRaster().getNumBands()).as("RGB out").isEqualTo(3);
        for (int i = 0; i < stored.length; i++) {
          int[] c = stored[i];
          int[] expected = new int[3];
          for (int band = 0; band < 3; band++) {
            expected[band] = 255 - Math.round(c[band] * c[3] / 255f);
          }
          int[] actual = out.getRaster().getPixel(16 * i + 8, 8, (int[]) null);
          for (int band = 0; band < 3; band++) {
            assertThat(actual[band]).as("transform %d, %s, patch %d %s: %s, expected %s",
                    transform, name, i, Arrays.toString(c), Arrays.toString(actual),
                    Arrays.toString(expected))
                .isCloseTo(expected[band], within(3));
          }
        }
      }
    }
  }

  @Test
  void tiffIsInvertedExactlyAndWrittenAsPng() throws IOException {
    BufferedImage rgb16 = new BufferedImage(new ComponentColorModel(
        ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false, Transparency.OPAQUE,
        DataBuffer.TYPE_USHORT), Raster.createInterleavedRaster(DataBuffer.TYPE_USHORT, W, H, 3,
        null), false, null);
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        rgb16.getRaster().setPixel(x, y, new int[] {x * 1000 + 3, y * 1300 + 1, 65535 - x * y});
      }
    }
    BufferedImage[] images = {picture(BufferedImage.TYPE_INT_RGB),
        picture(BufferedImage.TYPE_INT_ARGB), picture(BufferedImage.TYPE_BYTE_GRAY), rgb16};
    for (BufferedImage img : images) {
      for (String compression : new String[] {null, "LZW", "Deflate", "PackBits"}) {
        byte[] input = TestImages.encode(img, "tiff", compression);
        assertThat(magic(input)).isEqualTo("tiff");
        byte[] out = Inversion.invert(input, "x-inverted.png", MAX_PIXELS);
        assertThat(magic(out)).isEqualTo("png");
        assertExactInverse(read(input), read(out));
      }
    }
  }

  @Test
  void tiffWithFloatSamplesIsInvertedAsItsColoursShow() throws IOException {
    ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB),
        false, false, Transparency.OPAQUE, DataBuffer.TYPE_FLOAT);
    BufferedImage floats = new BufferedImage(cm, cm.createCompatibleWritableRaster(W, H), false,
        null);
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        floats.getRaster().setPixel(x, y, new float[] {x / (float) W, y / (float) H, 0.25f});
      }
    }
    byte[] input = TestImages.encode(floats, "tiff");
    BufferedImage in = read(input);
    BufferedImage out = read(Inversion.invert(input, "x-inverted.png", MAX_PIXELS));
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        assertThat(out.getRGB(x, y)).as("pixel %d,%d", x, y)
            .isEqualTo(0xFF000000 | ~in.getRGB(x, y) & 0xFFFFFF);
      }
    }
  }

  @Test
  void formatsImageIoCannotReadFailWithTheReasonTheSchedulerGivesToo() {
    assertThatThrownBy(() -> Inversion.invert(TestImages.WEBP, "x-inverted.png", MAX_PIXELS))
        .isInstanceOf(PermanentFailure.class)
        .hasMessage("WebP is not supported (Java's ImageIO reads JPEG, PNG, GIF, BMP, TIFF,"
            + " WBMP)");
    assertThatThrownBy(() -> Inversion.invert(TestImages.JXL, "x-inverted.png", MAX_PIXELS))
        .isInstanceOf(PermanentFailure.class)
        .hasMessage("JPEG XL is not supported (Java's ImageIO reads JPEG, PNG, GIF, BMP, TIFF,"
            + " WBMP)");
    assertThatThrownBy(() -> Inversion.invert("hello, I am text".getBytes(US_ASCII),
            "x-inverted.png", MAX_PIXELS))
        .isInstanceOf(PermanentFailure.class)
        .hasMessage("not an image: no JPEG, PNG, GIF, BMP, TIFF or WBMP header in 16 bytes");
  }

  @Test
  void theCmykMessageSaysWhatToDo() {
    assertThat(Inversion.CMYK_JPEG).isEqualTo("CMYK JPEG is not supported: Java ImageIO cannot"
        + " decode CMYK or YCCK JPEGs; convert the image to RGB first");
  }

  @Test
  void palettePngKeepsItsIndexesUnderAnInvertedPalette() throws IOException {
    BufferedImage in = picture(BufferedImage.TYPE_BYTE_INDEXED);
    byte[] out = Inversion.invert(write(in, "png"), "x-inverted.png", MAX_PIXELS);
    assertThat(magic(out)).isEqualTo("png");
    BufferedImage inverse = read(out);
    assertThat(inverse.getColorModel()).isInstanceOf(IndexColorModel.class);
    assertExactInverse(read(write(in, "png")), inverse);
  }

  @Test
  void grayPngIsInvertedExactly() throws IOException {
    byte[] input = write(picture(BufferedImage.TYPE_BYTE_GRAY), "png");
    assertExactInverse(read(input), read(Inversion.invert(input, "x-inverted.png", MAX_PIXELS)));
  }

  @Test
  void alphaPngKeepsItsAlphaExactly() throws IOException {
    byte[] input = write(picture(BufferedImage.TYPE_INT_ARGB), "png");
    BufferedImage in = read(input);
    assertThat(in.getColorModel().hasAlpha()).isTrue();
    assertThat(in.getRGB(W - 1, H - 1) >>> 24).as("a translucent corner").isLessThan(100);
    assertExactInverse(in, read(Inversion.invert(input, "x-inverted.png", MAX_PIXELS)));
  }

  @Test
  void sixteenBitPngsStaySixteenBitAndAreInvertedExactly() throws IOException {
    BufferedImage gray16 = new BufferedImage(W, H, BufferedImage.TYPE_USHORT_GRAY);
    ComponentColorModel rgba16cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB),
        new int[] {16, 16, 16, 16}, true, false, Transparency.TRANSLUCENT, DataBuffer.TYPE_USHORT);
    BufferedImage rgba16 = new BufferedImage(rgba16cm,
        rgba16cm.createCompatibleWritableRaster(W, H), false, null);
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        gray16.getRaster().setSample(x, y, 0, x * 1000 + y * 7);
        rgba16.getRaster().setPixel(x, y, new int[] {x * 1000 + 3, y * 1300 + 1, 65535 - x * y, 300 * y});
      }
    }
    for (BufferedImage img : new BufferedImage[] {gray16, rgba16}) {
      byte[] input = write(img, "png");
      BufferedImage in = read(input);
      assertThat(in.getSampleModel().getSampleSize(0)).isEqualTo(16);
      assertExactInverse(in, read(Inversion.invert(input, "x-inverted.png", MAX_PIXELS)));
    }
  }

  @Test
  void gifIsInvertedExactlyAndStaysGif() throws IOException {
    byte[] input = write(picture(BufferedImage.TYPE_BYTE_INDEXED), "gif");
    byte[] out = Inversion.invert(input, "x-inverted.gif", MAX_PIXELS);
    assertThat(magic(out)).isEqualTo("gif");
    assertExactInverse(read(input), read(out));
  }

  @Test
  void bmpIsInvertedExactlyAndStaysBmp() throws IOException {
    byte[] input = write(picture(BufferedImage.TYPE_3BYTE_BGR), "bmp");
    byte[] out = Inversion.invert(input, "x-inverted.bmp", MAX_PIXELS);
    assertThat(magic(out)).isEqualTo("bmp");
    assertExactInverse(read(input), read(out));
  }

  /**
   * Every layout Java builds, whether the in-place fast path takes it (packed ints, 8- and 16-bit
   * interleaved) or the sample-by-sample path does (565/555 shorts, a sub-image sharing its
   * parent's array, where only the sub-image's pixels may change).
   */
  @Test
  void everyRasterLayoutIsInvertedExactlyInMemory() {
    int[] types = {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB,
        BufferedImage.TYPE_INT_BGR, BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR,
        BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_USHORT_GRAY,
        BufferedImage.TYPE_USHORT_565_RGB, BufferedImage.TYPE_USHORT_555_RGB};
    for (int type : types) {
      BufferedImage in = picture(type);
      BufferedImage copy = new BufferedImage(in.getColorModel(), in.copyData(null), false, null);
      assertExactInverse(in, Inversion.inverse(copy));
    }
    BufferedImage sixteenBitRgba = new BufferedImage(new ComponentColorModel(
        ColorSpace.getInstance(ColorSpace.CS_sRGB), true, false, Transparency.TRANSLUCENT,
        DataBuffer.TYPE_USHORT), Raster.createInterleavedRaster(DataBuffer.TYPE_USHORT, W, H, 4,
        null), false, null);
    WritableRaster raster = sixteenBitRgba.getRaster();
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        raster.setPixel(x, y, new int[] {x * 1000, y * 1300, (x * y) % 65536, 60000 - x * 900});
      }
    }
    WritableRaster before = raster.createCompatibleWritableRaster();
    before.setRect(raster);
    assertExactInverse(new BufferedImage(sixteenBitRgba.getColorModel(), before, false, null),
        Inversion.inverse(sixteenBitRgba));

    BufferedImage parent = picture(BufferedImage.TYPE_3BYTE_BGR);
    BufferedImage original = new BufferedImage(parent.getColorModel(), parent.copyData(null),
        false, null);
    BufferedImage inverted = Inversion.inverse(parent.getSubimage(8, 4, 20, 10));
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        boolean inside = x >= 8 && x < 28 && y >= 4 && y < 14;
        int a = original.getRGB(x, y);
        assertThat(parent.getRGB(x, y)).as("pixel %d,%d", x, y)
            .isEqualTo(inside ? (a & 0xFF000000) | (~a & 0xFFFFFF) : a);
      }
    }
    assertThat(inverted.getWidth()).isEqualTo(20);
  }

  @Test
  void outputFormatFollowsTheOutputNameAndIsPngOtherwise() {
    assertThat(Inversion.formatOf("a-inverted.JPG")).isEqualTo("jpeg");
    assertThat(Inversion.formatOf("a-inverted.jpeg")).isEqualTo("jpeg");
    assertThat(Inversion.formatOf("a-inverted.gif")).isEqualTo("gif");
    assertThat(Inversion.formatOf("a-inverted.bmp")).isEqualTo("bmp");
    assertThat(Inversion.formatOf("a-inverted.png")).isEqualTo("png");
    assertThat(Inversion.formatOf("a-inverted.webp")).isEqualTo("png");
    assertThat(Inversion.formatOf("scan-inverted.png")).isEqualTo("png");
  }
}
