package dev.mesoskit.examples.imageinvert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Headless Chromium opens the gallery, as served by the artifact server (with {@code --serve})
 * and as written to disk, and every original and inverse loads, and the files that are not
 * images are listed; screenshots at phone and wide-screen sizes are left in {@code target/}
 * ({@code gallery-390x844.png}, {@code gallery-1400x900.png}). And the inverse of a CMYK JPEG is
 * the inverse of what Chromium shows for it. Skipped, saying so, when
 * {@code /usr/bin/chromium} is not installed ({@code examples/image-invert/check-gallery.sh}
 * installs it and runs the same check by hand).
 */
@Timeout(300)
class GalleryBrowserIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path IMAGES = Path.of("../../images").toAbsolutePath().normalize();
  private static final Path JAR = // what agents run: the program's jar names it in its manifest
      Path.of("target/image-invert-executor.jar").toAbsolutePath();
  private static final Pattern SERVED = Pattern.compile("gallery served at (\\S+) until Ctrl-C");

  @Test
  void everyPairOfTheServedAndTheLocalGalleryLoadsInHeadlessChromium(@TempDir Path dir)
      throws Exception {
    if (!Files.isExecutable(CHROMIUM)) {
      System.out.println("GalleryBrowserIT skipped: " + CHROMIUM + " is not installed"
          + " (apt-get install chromium, or run examples/image-invert/check-gallery.sh)");
    }
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is not installed");
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
    Path output = dir.resolve("inverted");
    int[] code = {-1};
    Thread scheduler = new Thread(() -> code[0] = InvertImages.run(out, "--executor-jar",
        JAR.toString(), "--images", IMAGES.toString(), "--output", output.toString(), "--serve"));
    scheduler.start();
    try {
      String served = awaitServedGallery(console, scheduler);
      for (String page : List.of(served, output.resolve("index.html").toUri().toString())) {
        String dom = chromium(dir, "--virtual-time-budget=15000", "--dump-dom", page);
        assertThat(count(dom, "<figure class=\"pair\">")).as(page).isEqualTo(8);
        assertThat(count(dom, "<span class=\"outcome SKIPPED\">SKIPPED</span>")).as(page)
            .isEqualTo(3); // GenImages.java, README.md and urls.txt are not images
        assertThat(dom).as(page).contains("data-loaded=\"16/16\"");
        List<Integer> widths = new ArrayList<>();
        Matcher m = Pattern.compile("data-natural-width=\"(\\d+)\"").matcher(dom);
        while (m.find()) {
          widths.add(Integer.parseInt(m.group(1)));
        }
        assertThat(widths).as(page).hasSize(16).allMatch(w -> w == 240);
        for (String name : List.of("sunset-alpha-inverted.png", "palette-inverted.png",
            "shapes-inverted.gif", "shapes-inverted.bmp", "landscape-inverted.jpg")) {
          assertThat(dom).as(page).contains(name);
        }
      }
      // A phone and a wide screen, kept for people to look at.
      for (String size : List.of("390,844", "1400,900")) {
        Path png = Path.of("target/gallery-" + size.replace(',', 'x') + ".png").toAbsolutePath();
        Files.deleteIfExists(png);
        chromium(dir, "--window-size=" + size, "--hide-scrollbars", "--screenshot=" + png, served);
        assertThat(Files.size(png)).as(png.toString()).isGreaterThan(50_000);
      }
    } finally {
      scheduler.interrupt();
      scheduler.join(TimeUnit.SECONDS.toMillis(60));
      System.out.println(console.toString(StandardCharsets.UTF_8));
    }
    assertThat(code[0]).isZero();
  }

  /**
   * The inverse of a CMYK and of a YCCK JPEG is the inverse of what Chromium shows for them: the
   * page shows each original beside its inverse at 1:1, and in the screenshot every patch of the
   * original plus the same patch of the inverse is white, within JPEG error.
   */
  @Test
  void theInverseOfACmykJpegIsTheInverseOfWhatChromiumShows(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is not installed");
    int[][] stored = {{200, 100, 50, 180}, {30, 220, 128, 240}, {128, 128, 128, 128},
        {255, 0, 128, 255}, {90, 160, 10, 200}};
    StringBuilder page = new StringBuilder("<html><head><style>body{margin:0}"
        + "img{display:block}</style></head><body>");
    for (int transform : new int[] {0, 2}) {
      byte[] jpeg = TestImages.adobeJpeg(stored, transform);
      Files.write(dir.resolve(transform + ".jpg"), jpeg);
      Files.write(dir.resolve(transform + "-inverted.jpg"),
          Inversion.invert(jpeg, "x-inverted.jpg", 1_000_000));
      page.append("<img src=\"").append(transform).append(".jpg\"><img src=\"").append(transform)
          .append("-inverted.jpg\">");
    }
    Files.writeString(dir.resolve("page.html"), page.append("</body></html>"));
    Path png = dir.resolve("cmyk.png");
    chromium(dir, "--window-size=400,300", "--force-color-profile=srgb", "--hide-scrollbars",
        "--screenshot=" + png, dir.resolve("page.html").toUri().toString());
    BufferedImage shot = ImageIO.read(png.toFile());
    for (int transform = 0; transform < 2; transform++) {
      for (int i = 0; i < stored.length; i++) {
        int original = shot.getRGB(16 * i + 8, 32 * transform + 8);
        int inverse = shot.getRGB(16 * i + 8, 32 * transform + 16 + 8);
        for (int shift = 16; shift >= 0; shift -= 8) {
          int shown = original >> shift & 0xFF;
          assertThat(shown + (inverse >> shift & 0xFF))
              .as("transform %d, patch %d, channel shift %d: Chromium shows %06x and %06x",
                  transform * 2, i, shift, original & 0xFFFFFF, inverse & 0xFFFFFF)
              .isCloseTo(255, within(4));
        }
      }
      // and what Chromium shows is C * K / 255 of the stored samples, as Inversion assumes
      int first = shot.getRGB(8, 32 * transform + 8);
      assertThat(new int[] {first >> 16 & 0xFF, first >> 8 & 0xFF, first & 0xFF})
          .as("transform %d", transform * 2)
          .satisfies(rgb -> assertThat(rgb[0]).isCloseTo(141, within(3)))
          .satisfies(rgb -> assertThat(rgb[1]).isCloseTo(70, within(3)))
          .satisfies(rgb -> assertThat(rgb[2]).isCloseTo(35, within(3)));
    }
  }

  private static String awaitServedGallery(ByteArrayOutputStream console, Thread scheduler)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (System.nanoTime() < deadline && scheduler.isAlive()) {
      Matcher m = SERVED.matcher(console.toString(StandardCharsets.UTF_8));
      if (m.find()) {
        return m.group(1);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the scheduler printed no served gallery:\n"
        + console.toString(StandardCharsets.UTF_8));
  }

  /** Runs headless Chromium with a fresh profile and returns what it printed on stdout. */
  private static String chromium(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless",
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + Files.createTempDirectory(dir, "chromium-profile")));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] stdout = p.getInputStream().readAllBytes();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish within 90 s: " + command);
    }
    assertThat(p.exitValue()).as("chromium exit code of %s", command).isZero();
    return new String(stdout, StandardCharsets.UTF_8);
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
