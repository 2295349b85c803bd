package dev.mesoskit.examples.imageinvert;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImageFormatsTest {
  private static final String READS = " is not supported (Java's ImageIO reads JPEG, PNG, GIF, BMP,"
      + " TIFF, WBMP)";

  private static Optional<String> refusal(byte[] image) {
    return ImageFormats.refusal(Arrays.copyOf(image, Math.min(image.length,
        ImageFormats.HEAD_BYTES)), image.length);
  }

  @Test
  void everyFormatImageIoReadsIsAcceptedFromItsFirstBytes() {
    BufferedImage picture = TestImages.picture(40, 30);
    BufferedImage binary = new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_BINARY);
    for (String format : new String[] {"jpeg", "png", "gif", "bmp", "tiff"}) {
      assertThat(refusal(TestImages.encode(picture, format))).as(format).isEmpty();
    }
    assertThat(refusal(TestImages.encode(binary, "wbmp"))).as("wbmp").isEmpty();
    assertThat(refusal(TestImages.adobeJpeg(new int[][] {{1, 2, 3, 4}}, 0))).as("CMYK JPEG")
        .isEmpty();
  }

  @Test
  void wellKnownFormatsImageIoCannotReadAreNamedInTheReason() {
    assertThat(refusal(TestImages.WEBP)).contains("WebP" + READS);
    assertThat(refusal(TestImages.JXL)).contains("JPEG XL" + READS);
    assertThat(refusal(new byte[] {0, 0, 0, 0x0C, 'J', 'X', 'L', ' ', '\r', '\n', (byte) 0x87,
        '\n', 0, 0, 0, 0x14})).as("JPEG XL container").contains("JPEG XL" + READS);
    assertThat(refusal(TestImages.AVIF)).contains("AVIF" + READS);
    assertThat(refusal(new byte[] {0, 0, 0, 0x1C, 'f', 't', 'y', 'p', 'm', 'i', 'f', '1', 0, 0, 0,
        0, 'm', 'i', 'f', '1', 'm', 'i', 'a', 'f', 'a', 'v', 'i', 'f'}))
        .as("an AVIF whose major brand is mif1").contains("AVIF" + READS);
    assertThat(refusal(TestImages.HEIC)).contains("HEIF/HEIC" + READS);
    assertThat(refusal("8BPS\0\1\0\0\0\0\0\0".getBytes(US_ASCII))).contains("Photoshop PSD" + READS);
    assertThat(refusal("<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>"
        .getBytes(US_ASCII))).contains("SVG" + READS);
  }

  @Test
  void anythingElseIsNotAnImageAndTheReasonSaysHowLongItIs() {
    assertThat(refusal("hello, I am text".getBytes(US_ASCII)))
        .contains("not an image: no JPEG, PNG, GIF, BMP, TIFF or WBMP header in 16 bytes");
    assertThat(refusal(new byte[0]))
        .contains("not an image: no JPEG, PNG, GIF, BMP, TIFF or WBMP header in 0 bytes");
    assertThat(ImageFormats.refusal(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, 3_000_000))
        .as("a cut PNG signature").contains("not an image: no JPEG, PNG, GIF, BMP, TIFF or WBMP"
            + " header in 3000000 bytes");
  }
}
