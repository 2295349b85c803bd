package dev.mesoskit.examples.imageinvert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.sun.net.httpserver.HttpServer;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The example's entry point on the default 2-agent local cluster, over images/ and bad input. */
@Timeout(300)
class InvertImagesIT {
  private static final Path IMAGES = Path.of("../../images").toAbsolutePath().normalize();
  private static final Path JAR = // what agents run: the program's jar names it in its manifest
      Path.of("target/image-invert-executor.jar").toAbsolutePath();
  private final ByteArrayOutputStream console = new ByteArrayOutputStream();
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private int run(String... args) {
    List<String> all = new java.util.ArrayList<>(List.of("--executor-jar", JAR.toString()));
    all.addAll(List.of(args));
    int code = InvertImages.run(new PrintStream(console, true, StandardCharsets.UTF_8),
        all.toArray(String[]::new));
    System.out.println(console.toString(StandardCharsets.UTF_8));
    return code;
  }

  @Test
  void everySampleImageIsInvertedExactlyOrWithinJpegError(@TempDir Path out) throws Exception {
    assertThat(run("--images", IMAGES.toString(), "--output", out.toString())).isZero();
    Map<String, String> pairs = Map.of("sunset-alpha.png", "sunset-alpha-inverted.png",
        "palette.png", "palette-inverted.png", "gray.png", "gray-inverted.png",
        "ramp-16bit.png", "ramp-16bit-inverted.png", "shapes.gif", "shapes-inverted.gif",
        "shapes.bmp", "shapes-inverted.bmp", "landscape.jpg", "landscape-inverted.jpg",
        "landscape-gray.jpg", "landscape-gray-inverted.jpg");
    for (var pair : pairs.entrySet()) {
      BufferedImage in = ImageIO.read(IMAGES.resolve(pair.getKey()).toFile());
      BufferedImage inv = ImageIO.read(out.resolve(pair.getValue()).toFile());
      assertThat(inv.getWidth()).isEqualTo(in.getWidth());
      assertThat(inv.getHeight()).isEqualTo(in.getHeight());
      if (pair.getKey().endsWith(".jpg")) {
        assertThat(meanError(in, inv)).as(pair.getKey()).isLessThan(3.0);
      } else {
        assertExactInverse(pair.getKey(), in, inv);
      }
    }
    assertThat(Files.readString(out.resolve("index.html")))
        .contains("sunset-alpha-inverted.png", "shapes-inverted.bmp", "landscape-gray-inverted.jpg");
    // images/ holds three files that are not images: each is named, and the run still exits 0.
    String text = console.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("image-invert: 11 inputs, 8 done, 0 failed, 3 skipped in ");
    for (String file : List.of("GenImages.java", "README.md", "urls.txt")) {
      assertThat(text).contains("  SKIPPED " + IMAGES.resolve(file) + ": not an image: no JPEG,"
          + " PNG, GIF, BMP, TIFF or WBMP header in " + Files.size(IMAGES.resolve(file)) + " bytes\n");
    }
  }

  /**
   * The test: a directory of images ImageIO reads (TIFF and a CMYK JPEG among them),
   * formats it does not and files that are no images. Every file but the hidden one gets an
   * outcome in the summary; the skipped ones do not fail the run.
   */
  @Test
  void everyFileOfADirectoryIsInvertedOrSkippedWithItsReasonAndSkipsDoNotFailTheRun(
      @TempDir Path dir) throws Exception {
    Path in = Files.createDirectory(dir.resolve("in"));
    BufferedImage picture = TestImages.picture(64, 48);
    Files.write(in.resolve("photo.png"), TestImages.encode(picture, "png"));
    Files.write(in.resolve("scan.tif"), TestImages.encode(picture, "tiff", "LZW"));
    Files.write(in.resolve("print.jpg"), TestImages.adobeJpeg(new int[][] {{200, 100, 50, 180}}, 0));
    Files.write(in.resolve("photo.webp"), TestImages.WEBP);
    Files.write(in.resolve("photo.jxl"), TestImages.JXL);
    Files.writeString(in.resolve("notes.txt"), "hello\n");
    Files.writeString(in.resolve(".DS_Store"), "hidden");
    Files.write(Files.createDirectory(in.resolve("sub")).resolve("x.png"),
        TestImages.encode(picture, "png"));
    Path out = dir.resolve("out");
    assertThat(run("--images", in.toString(), "--output", out.toString())).isZero();
    String reads = " is not supported (Java's ImageIO reads JPEG, PNG, GIF, BMP, TIFF, WBMP)\n";
    assertThat(console.toString(StandardCharsets.UTF_8))
        .contains("image-invert: 6 inputs, 3 done, 0 failed, 3 skipped in ")
        .contains("  SKIPPED " + in.resolve("notes.txt") + ": not an image: no JPEG, PNG, GIF,"
            + " BMP, TIFF or WBMP header in 6 bytes\n"
            + "  SKIPPED " + in.resolve("photo.jxl") + ": JPEG XL" + reads
            + "  SKIPPED " + in.resolve("photo.webp") + ": WebP" + reads
            + "  AS PNG " + in.resolve("scan.tif") + " -> scan-inverted.png (browsers do not show"
            + " TIFF)\n")
        .doesNotContain("FAILED").doesNotContain("DS_Store").doesNotContain("x.png");
    try (var files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
          "photo-inverted.png", "scan-inverted.png", "print-inverted.jpg", "index.html", ".state");
    }
    BufferedImage scan = ImageIO.read(out.resolve("scan-inverted.png").toFile());
    for (int y = 0; y < 48; y++) {
      for (int x = 0; x < 64; x++) {
        assertThat(scan.getRGB(x, y)).isEqualTo(0xFF000000 | ~picture.getRGB(x, y) & 0xFFFFFF);
      }
    }
    // What browsers show for the CMYK JPEG is (141, 70, 35): its inverse.
    int print = ImageIO.read(out.resolve("print-inverted.jpg").toFile()).getRGB(8, 8);
    assertThat(new int[] {print >> 16 & 0xFF, print >> 8 & 0xFF, print & 0xFF})
        .satisfies(rgb -> assertThat(rgb[0]).isCloseTo(114, within(3)))
        .satisfies(rgb -> assertThat(rgb[1]).isCloseTo(184, within(3)))
        .satisfies(rgb -> assertThat(rgb[2]).isCloseTo(220, within(3)));
    assertThat(Files.readString(out.resolve("index.html")))
        .contains("<p class=\"counts\">3 inverted, 0 failed, 3 skipped</p>");
  }

  @Test
  void badInputFailsItsOwnTaskWithAClearReasonAndTheRestCompletes(@TempDir Path out)
      throws Exception {
    byte[] png = Files.readAllBytes(IMAGES.resolve("sunset-alpha.png"));
    byte[] jpg = Files.readAllBytes(IMAGES.resolve("landscape.jpg"));
    Map<String, byte[]> files = Map.of(
        "/not-an-image.png", "hello, I am text".getBytes(StandardCharsets.UTF_8),
        "/truncated.png", Arrays.copyOf(png, png.length / 2),
        "/truncated.jpg", Arrays.copyOf(jpg, jpg.length / 2),
        "/bomb.png", bombPng(100_000, 100_000),
        "/big.png", Files.readAllBytes(IMAGES.resolve("ramp-16bit.png")),
        "/photo.webp", TestImages.WEBP);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", ex -> {
      byte[] body = files.get(ex.getRequestURI().getPath());
      ex.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
      try (OutputStream o = ex.getResponseBody()) {
        if (body != null) {
          o.write(body);
        }
      }
    });
    server.start();
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    int code = run("--output", out.toString(), "--max-bytes", "60000", "--images",
        IMAGES.resolve("gray.png").toString(), base + "/missing.png", base + "/not-an-image.png",
        base + "/truncated.png", base + "/truncated.jpg", base + "/bomb.png", base + "/big.png",
        "http://127.0.0.1:1/unreachable.png", base + "/photo.webp");
    assertThat(code).isEqualTo(1);
    String text = console.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("image-invert: 9 inputs, 1 done, 8 failed, 0 skipped")
        .contains("FAILED " + base + "/missing.png: failed after 1 attempt: TASK_FAILED (REASON_TASK_INVALID): download of "
            + base + "/missing.png failed: HTTP 404")
        .contains("FAILED " + base + "/not-an-image.png: failed after 1 attempt: TASK_FAILED (REASON_TASK_INVALID): not an image:"
            + " no JPEG, PNG, GIF, BMP, TIFF or WBMP header in 16 bytes")
        // the scheduler does not download URLs: the executor refuses the format, the task fails
        .contains("FAILED " + base + "/photo.webp: failed after 1 attempt: TASK_FAILED"
            + " (REASON_TASK_INVALID): WebP is not supported (Java's ImageIO reads JPEG, PNG, GIF,"
            + " BMP, TIFF, WBMP)")
        .contains("FAILED " + base + "/truncated.png: failed after 1 attempt: TASK_FAILED (REASON_TASK_INVALID): cannot decode PNG")
        .contains("FAILED " + base + "/truncated.jpg: failed after 1 attempt: TASK_FAILED (REASON_TASK_INVALID): corrupt JPEG:")
        .contains("FAILED " + base + "/bomb.png: failed after 1 attempt: TASK_FAILED (REASON_TASK_INVALID): image too large: the"
            + " PNG header declares 100000x100000 = 10000000000 pixels, the limit is 40000000")
        .contains("FAILED " + base + "/big.png: failed after 1 attempt: TASK_FAILED (REASON_TASK_INVALID): download of "
            + base + "/big.png is larger than the limit of 60000 bytes")
        .contains("FAILED http://127.0.0.1:1/unreachable.png: failed after 3 attempts:"
            + " TASK_FAILED: download of http://127.0.0.1:1/unreachable.png"
            + " failed: java.net.ConnectException");
    assertThat(out.resolve("gray-inverted.png")).exists();
  }

  @Test
  void anEmptyListIsAnErrorBeforeAnythingStarts(@TempDir Path dir) throws Exception {
    Path list = Files.writeString(dir.resolve("list.txt"), "# nothing here\n\n");
    assertThat(run("--images", list.toString(), "--output", dir.resolve("o").toString()))
        .isEqualTo(2);
    assertThat(console.toString(StandardCharsets.UTF_8))
        .contains("image-invert: --images: no images in " + list);
    assertThat(run("--images", dir.resolve("missing").toString())).isEqualTo(2);
    assertThat(console.toString(StandardCharsets.UTF_8))
        .contains("--images: no such file or directory: " + dir.resolve("missing"));
  }

  @Test
  void aRestartDoesNotRedoFinishedImages(@TempDir Path out) throws Exception {
    assertThat(run("--images", IMAGES.resolve("gray.png").toString(), "--output", out.toString()))
        .isZero();
    long first = Files.getLastModifiedTime(out.resolve("gray-inverted.png")).toMillis();
    console.reset();
    assertThat(run("--images", IMAGES.resolve("gray.png").toString(),
        IMAGES.resolve("shapes.gif").toString(), "--output", out.toString())).isZero();
    assertThat(Files.getLastModifiedTime(out.resolve("gray-inverted.png")).toMillis())
        .isEqualTo(first);
    assertThat(out.resolve("shapes-inverted.gif")).exists();
    assertThat(console.toString(StandardCharsets.UTF_8))
        .contains("image-invert: 2 inputs, 2 done, 0 failed, 0 skipped");
    try (var files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".part")))
          .isEmpty();
    }
  }

  private static void assertExactInverse(String name, BufferedImage in, BufferedImage inv) {
    if (in.getColorModel() instanceof IndexColorModel) {
      for (int y = 0; y < in.getHeight(); y++) {
        for (int x = 0; x < in.getWidth(); x++) {
          int a = in.getRGB(x, y);
          int b = inv.getRGB(x, y);
          assertThat(b).as("%s at %d,%d", name, x, y).isEqualTo((a & 0xFF000000) | (~a & 0xFFFFFF));
        }
      }
      return;
    }
    Raster a = in.getRaster();
    Raster b = inv.getRaster();
    int colors = in.getColorModel().getNumColorComponents();
    assertThat(b.getNumBands()).as(name).isEqualTo(a.getNumBands());
    for (int band = 0; band < a.getNumBands(); band++) {
      int max = (1 << a.getSampleModel().getSampleSize(band)) - 1;
      for (int y = 0; y < a.getHeight(); y++) {
        for (int x = 0; x < a.getWidth(); x++) {
          int expected = band < colors ? max - a.getSample(x, y, band) : a.getSample(x, y, band);
          assertThat(b.getSample(x, y, band)).as("%s band %d at %d,%d", name, band, x, y)
              .isEqualTo(expected);
        }
      }
    }
  }

  /** Mean absolute error against 255 - sample, over every band (JPEG has no alpha). */
  private static double meanError(BufferedImage in, BufferedImage inv) {
    Raster a = in.getRaster();
    Raster b = inv.getRaster();
    assertThat(b.getNumBands()).isEqualTo(a.getNumBands());
    long sum = 0;
    for (int band = 0; band < a.getNumBands(); band++) {
      for (int y = 0; y < a.getHeight(); y++) {
        for (int x = 0; x < a.getWidth(); x++) {
          sum += Math.abs(255 - a.getSample(x, y, band) - b.getSample(x, y, band));
        }
      }
    }
    return sum / ((double) a.getNumBands() * a.getWidth() * a.getHeight());
  }

  /** A PNG signature and an IHDR that claims the size; no pixel data follows. */
  private static byte[] bombPng(int width, int height) {
    ByteBuffer ihdr = ByteBuffer.allocate(17).put("IHDR".getBytes(StandardCharsets.US_ASCII))
        .putInt(width).putInt(height).put((byte) 8).put((byte) 6).put((byte) 0).put((byte) 0)
        .put((byte) 0);
    CRC32 crc = new CRC32();
    crc.update(ihdr.array());
    return ByteBuffer.allocate(8 + 4 + 17 + 4)
        .put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'})
        .putInt(13).put(ihdr.array()).putInt((int) crc.getValue()).array();
  }
}
