package dev.mesoskit.examples.imageinvert;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.mesoskit.artifacts.cli.UsageException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageListTest {
  private static final String READS = " is not supported (Java's ImageIO reads JPEG, PNG, GIF, BMP,"
      + " TIFF, WBMP)";
  private static final String TEXT = "not an image: no JPEG, PNG, GIF, BMP, TIFF or WBMP header in";

  /** A directory like the user's: images ImageIO reads, formats it does not, and other files. */
  private static Path hostileDirectory(Path dir) throws IOException {
    byte[] png = TestImages.encode(TestImages.picture(40, 30), "png");
    Files.write(dir.resolve("a.png"), png);
    Files.write(dir.resolve("b.jpg"), TestImages.encode(TestImages.picture(40, 30), "jpeg"));
    Files.write(dir.resolve("scan.tif"), TestImages.encode(TestImages.picture(40, 30), "tiff"));
    Files.write(dir.resolve("SCAN2.TIFF"), TestImages.encode(TestImages.picture(40, 30), "tiff"));
    Files.write(dir.resolve("cmyk.jpg"), TestImages.adobeJpeg(new int[][] {{1, 2, 3, 4}}, 0));
    Files.write(dir.resolve("photo.webp"), TestImages.WEBP);
    Files.write(dir.resolve("photo.jxl"), TestImages.JXL);
    Files.write(dir.resolve("photo.avif"), TestImages.AVIF);
    Files.write(dir.resolve("no-extension"), png);
    Files.write(dir.resolve("png-named.webp"), png);
    Files.write(dir.resolve("truncated.png"), Arrays.copyOf(png, png.length / 2));
    Files.writeString(dir.resolve("fake.png"), "not really a png");
    Files.writeString(dir.resolve("notes.txt"), "hello\n");
    Files.write(dir.resolve("empty.gif"), new byte[0]);
    Files.write(dir.resolve(".hidden.png"), png);
    Files.write(Files.createDirectory(dir.resolve("sub")).resolve("c.png"), png);
    return dir;
  }

  @Test
  void everyRegularNotHiddenFileOfADirectoryIsAnImageOrSkippedWithItsReason(@TempDir Path dir)
      throws IOException {
    hostileDirectory(dir);
    ImageList list = ImageList.resolve(List.of(dir.toString()));
    assertThat(list.images()).containsExactly(
        entry("SCAN2-inverted.png", dir.resolve("SCAN2.TIFF").toUri()),
        entry("a-inverted.png", dir.resolve("a.png").toUri()),
        entry("b-inverted.jpg", dir.resolve("b.jpg").toUri()),
        entry("cmyk-inverted.jpg", dir.resolve("cmyk.jpg").toUri()),
        entry("no-extension-inverted.png", dir.resolve("no-extension").toUri()),
        entry("png-named-inverted.png", dir.resolve("png-named.webp").toUri()),
        entry("scan-inverted.png", dir.resolve("scan.tif").toUri()),
        entry("truncated-inverted.png", dir.resolve("truncated.png").toUri()));
    assertThat(list.skipped()).containsExactly(
        entry(dir.resolve("empty.gif").toUri(), TEXT + " 0 bytes"),
        entry(dir.resolve("fake.png").toUri(), TEXT + " 16 bytes"),
        entry(dir.resolve("notes.txt").toUri(), TEXT + " 6 bytes"),
        entry(dir.resolve("photo.avif").toUri(), "AVIF" + READS),
        entry(dir.resolve("photo.jxl").toUri(), "JPEG XL" + READS),
        entry(dir.resolve("photo.webp").toUri(), "WebP" + READS));
  }

  @Test
  void aNamedImageImageIoCannotReadIsSkippedNotReadAsAList(@TempDir Path dir) throws IOException {
    Path webp = Files.write(dir.resolve("photo.webp"), TestImages.WEBP);
    Path fake = Files.writeString(dir.resolve("fake.png"), "not really a png");
    ImageList list = ImageList.resolve(List.of(webp.toString(), fake.toUri().toString()));
    assertThat(list.images()).isEmpty();
    assertThat(list.skipped()).containsExactly(entry(webp.toUri(), "WebP" + READS),
        entry(fake.toUri(), TEXT + " 16 bytes"));
  }

  @Test
  void aListNamesImagesBesideItAndUrlsWhichAreNeverSkipped(@TempDir Path dir) throws IOException {
    hostileDirectory(dir);
    Path list = Files.writeString(dir.resolve("list.txt"), "# the list\nscan.tif\n\n photo.webp \n"
        + "https://example.org/photo.webp\nhttp://example.org/a.tiff\n");
    ImageList images = ImageList.resolve(List.of(list.toString()));
    assertThat(images.images()).containsExactly(
        entry("scan-inverted.png", dir.resolve("scan.tif").toUri()),
        entry("photo-inverted.png", URI.create("https://example.org/photo.webp")),
        entry("a-inverted.png", URI.create("http://example.org/a.tiff")));
    assertThat(images.skipped()).containsExactly(entry(dir.resolve("photo.webp").toUri(),
        "WebP" + READS));
  }

  @Test
  void aMissingListEntryOrAFileThatIsNeitherImageNorListIsBadUsage(@TempDir Path dir)
      throws IOException {
    Path list = Files.writeString(dir.resolve("list.txt"), "missing.png\n");
    assertThatThrownBy(() -> ImageList.resolve(List.of(list.toString())))
        .isInstanceOf(UsageException.class)
        .hasMessage("--images: no such file: missing.png (listed in " + list + ")");
    Path binary = Files.write(dir.resolve("data.bin"), new byte[] {(byte) 0xC3, 0x28, 0, 1});
    assertThatThrownBy(() -> ImageList.resolve(List.of(binary.toString())))
        .isInstanceOf(UsageException.class)
        .hasMessage("--images: " + binary + " is neither an image nor a list of images (one URL"
            + " or path per line)");
    Path empty = Files.createDirectory(dir.resolve("empty"));
    Files.write(empty.resolve(".hidden.png"), "x".getBytes(US_ASCII));
    assertThatThrownBy(() -> ImageList.resolve(List.of(empty.toString())))
        .isInstanceOf(UsageException.class).hasMessage("--images: no images in " + empty);
  }

  @Test
  void browsersShowTheOutputsAndTiffAndWbmpOriginalsAreSaidNotToBeShown() {
    assertThat(ImageList.notShownByBrowsers(URI.create("file:/x/scan.TIF"))).contains("TIFF");
    assertThat(ImageList.notShownByBrowsers(URI.create("http://h/a.tiff?x=1"))).contains("TIFF");
    assertThat(ImageList.notShownByBrowsers(URI.create("file:/x/fax.wbmp"))).contains("WBMP");
    assertThat(ImageList.notShownByBrowsers(URI.create("file:/x/a.jpg"))).isEmpty();
    assertThat(ImageList.label(URI.create("https://h/a%20b.png"))).isEqualTo("https://h/a%20b.png");
    assertThat(ImageList.label(Path.of("images", "a b.png").toAbsolutePath().toUri()))
        .isEqualTo(Path.of("images", "a b.png").toString());
    assertThat(ImageList.label(URI.create("file:/elsewhere/a.png"))).isEqualTo("/elsewhere/a.png");
  }
}
