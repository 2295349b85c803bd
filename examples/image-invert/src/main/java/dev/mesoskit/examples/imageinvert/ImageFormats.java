package dev.mesoskit.examples.imageinvert;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * What a file's first bytes say it is: an image Java's ImageIO reads (JPEG, PNG, GIF, BMP, TIFF,
 * WBMP), a well-known image format it does not read (named in the reason), or no image at all.
 * The scheduler asks it about local files before it starts any task, the executor about what it
 * downloaded; both give the same reasons.
 */
final class ImageFormats {
  /** The formats Java's ImageIO reads, as the reasons name them. */
  static final String READABLE = "JPEG, PNG, GIF, BMP, TIFF, WBMP";
  /** How many leading bytes {@link #refusal(byte[], long)} needs. */
  static final int HEAD_BYTES = 512;

  private ImageFormats() {}

  /**
   * Why a local file cannot be inverted, from its first bytes.
   *
   * @return the reason, or empty when ImageIO reads the file's format
   * @throws IOException when the file cannot be read
   */
  static Optional<String> refusal(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return refusal(in.readNBytes(HEAD_BYTES), Files.size(file));
    }
  }

  /**
   * Why an image cannot be inverted, from its first bytes.
   *
   * @param head the first bytes (at least {@link #HEAD_BYTES} unless the image is shorter)
   * @param size the image's size in bytes, for the reason
   * @return {@code "WebP is not supported (Java's ImageIO reads ...)"}, {@code "not an image: no
   *     ... header in 16 bytes"}, or empty when ImageIO has a reader for it
   */
  static Optional<String> refusal(byte[] head, long size) {
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(head))) {
      if (ImageIO.getImageReaders(in).hasNext()) {
        return Optional.empty();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading bytes in memory failed", e); // cannot happen
    }
    return Optional.of(unreadable(head, size));
  }

  /**
   * Why an image ImageIO has no reader for cannot be inverted.
   *
   * @param head the first bytes, or all of them
   * @param size the image's size in bytes
   * @return {@code "WebP is not supported (Java's ImageIO reads ...)"} for a well-known format,
   *     else {@code "not an image: no JPEG, PNG, GIF, BMP, TIFF or WBMP header in 16 bytes"}
   */
  static String unreadable(byte[] head, long size) {
    return unsupported(head)
        .map(format -> format + " is not supported (Java's ImageIO reads " + READABLE + ")")
        .orElse("not an image: no JPEG, PNG, GIF, BMP, TIFF or WBMP header in " + size
            + " bytes");
  }

  /** The name of a well-known image format ImageIO has no reader for, by its signature. */
  static Optional<String> unsupported(byte[] head) {
    String ascii = new String(head, 0, Math.min(head.length, HEAD_BYTES),
        StandardCharsets.ISO_8859_1);
    // ISO base media files (AVIF, HEIF) start with a box "ftyp" listing brands, 4 bytes each.
    List<String> brands = new ArrayList<>();
    if (ascii.startsWith("ftyp", 4)) {
      int box = Math.min(ascii.length(), ByteBuffer.wrap(head, 0, 4).getInt());
      for (int i = 8; i + 4 <= box; i += 4) {
        brands.add(ascii.substring(i, i + 4));
      }
    }
    String format = null;
    if (ascii.startsWith("RIFF") && ascii.startsWith("WEBP", 8)) {
      format = "WebP";
    } else if (ascii.startsWith("\u00FF\n") || ascii.startsWith("\0\0\0\fJXL \r\n\u0087\n")) {
      format = "JPEG XL";
    } else if (brands.contains("avif") || brands.contains("avis")) {
      format = "AVIF";
    } else if (!Collections.disjoint(brands, List.of("heic", "heix", "hevc", "hevx", "mif1",
        "msf1"))) {
      format = "HEIF/HEIC";
    } else if (ascii.startsWith("\0\0\0\fjP  \r\n\u0087\n") || ascii.startsWith("\u00FFO\u00FFQ")) {
      format = "JPEG 2000";
    } else if (ascii.startsWith("II+\0") || ascii.startsWith("MM\0+")) {
      format = "BigTIFF";
    } else if (ascii.startsWith("8BPS")) {
      format = "Photoshop PSD";
    } else if (ascii.startsWith("\0\0\1\0") || ascii.startsWith("\0\0\2\0")) {
      format = "ICO";
    } else if (ascii.startsWith("qoif")) {
      format = "QOI";
    } else if (ascii.contains("<svg")) {
      format = "SVG";
    }
    return Optional.ofNullable(format);
  }
}
