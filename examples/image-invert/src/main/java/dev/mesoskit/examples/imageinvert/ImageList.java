package dev.mesoskit.examples.imageinvert;

import dev.mesoskit.artifacts.cli.UsageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The inputs of a batch, from {@code --images}: a directory (every regular file in it whose name
 * does not start with a dot; not its subdirectories), a list file (one URL or path per line,
 * relative to the file, {@code #} comments), an image file, or http(s)/file URLs. Every input is
 * an image to invert or skipped with a reason: a local file is skipped when its first bytes show
 * a format Java's ImageIO does not read ({@code "WebP is not supported (Java's ImageIO reads
 * JPEG, PNG, GIF, BMP, TIFF, WBMP)"}, see {@link ImageFormats}) or no image at all; an http(s)
 * URL is never skipped (the scheduler does not download it: its executor refuses such an image,
 * failing the task with the same reason). Each image gets an output name that makes the mapping
 * obvious: {@code sunset.jpg -> sunset-inverted.jpg}; formats browsers do not show (TIFF, WBMP)
 * and unknown extensions {@code -> .png} ({@code scan.tif -> scan-inverted.png}).
 *
 * @param images output name to source, in input order: one task each
 * @param skipped source to the reason it is skipped, in input order
 */
record ImageList(Map<String, URI> images, Map<URI, String> skipped) {
  /** The extensions an output keeps: formats ImageIO writes and browsers show. */
  private static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "gif", "bmp");
  /** Formats ImageIO reads but browsers do not show, by extension. */
  private static final Map<String, String> NOT_SHOWN = Map.of("tif", "TIFF", "tiff", "TIFF",
      "wbmp", "WBMP");
  /** Extensions that make a named file an image (maybe a broken one) rather than a list. */
  private static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "gif", "bmp",
      "tif", "tiff", "wbmp", "webp", "jxl", "avif", "heic", "heif", "jp2", "j2k", "psd", "ico",
      "svg", "qoi");

  /**
   * Copies the maps.
   *
   * @param images output name to source, in input order: one task each
   * @param skipped source to the reason it is skipped, in input order
   */
  ImageList {
    images = Collections.unmodifiableMap(new LinkedHashMap<>(images));
    skipped = Collections.unmodifiableMap(new LinkedHashMap<>(skipped));
  }

  /**
   * Resolves the arguments.
   *
   * @return the images and the skipped inputs
   * @throws UsageException for a missing file (named or in a list), a file that is neither an
   *     image nor a list, or no input at all
   */
  static ImageList resolve(List<String> args) {
    List<URI> sources = new ArrayList<>();
    Map<URI, String> skipped = new LinkedHashMap<>();
    for (String arg : args) {
      if (arg.matches("(?i)https?:.*")) {
        sources.add(URI.create(arg));
        continue;
      }
      Path path = local(arg, Path.of(""));
      if (Files.isDirectory(path)) {
        try (Stream<Path> files = Files.list(path)) {
          files.filter(f -> Files.isRegularFile(f) && !f.getFileName().toString().startsWith("."))
              .sorted().forEach(f -> add(f, sources, skipped));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot list " + path, e);
        }
      } else if (!Files.isRegularFile(path)) {
        throw new UsageException("--images: no such file or directory: " + arg);
      } else if (isImage(path)) {
        add(path, sources, skipped);
      } else {
        for (String entry : entries(arg, path)) {
          if (entry.matches("(?i)https?:.*")) {
            sources.add(URI.create(entry));
            continue;
          }
          Path file = local(entry, path.getParent());
          if (!Files.isRegularFile(file)) {
            throw new UsageException("--images: no such file: " + entry + " (listed in " + arg
                + ")");
          }
          add(file, sources, skipped);
        }
      }
    }
    if (sources.isEmpty() && skipped.isEmpty()) {
      throw new UsageException("--images: no images in " + String.join(" ", args));
    }
    return new ImageList(named(sources), skipped);
  }

  /** A file: URL or a path, resolved against {@code base}. */
  private static Path local(String arg, Path base) {
    Path path = arg.matches("(?i)file:.*") ? Path.of(URI.create(arg)) : base.resolve(arg);
    return path.toAbsolutePath().normalize();
  }

  /** Whether a named file is an image (if maybe one to skip) rather than a list of images. */
  private static boolean isImage(Path file) {
    try (var in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(ImageFormats.HEAD_BYTES);
      return ImageFormats.refusal(head, head.length).isEmpty()
          || ImageFormats.unsupported(head).isPresent()
          || IMAGE_EXTENSIONS.contains(extension(file.getFileName().toString()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static List<String> entries(String arg, Path list) {
    try {
      return Files.readAllLines(list).stream().map(String::strip)
          .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    } catch (CharacterCodingException e) {
      throw new UsageException("--images: " + arg + " is neither an image nor a list of images"
          + " (one URL or path per line)");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the list " + list, e);
    }
  }

  /** A local file: an image to invert, or skipped with the reason its first bytes give. */
  private static void add(Path file, List<URI> sources, Map<URI, String> skipped) {
    Optional<String> refusal;
    try {
      refusal = ImageFormats.refusal(file);
    } catch (IOException e) {
      refusal = Optional.of("cannot read it: " + e);
    }
    refusal.ifPresentOrElse(why -> skipped.put(file.toUri(), why),
        () -> sources.add(file.toUri()));
  }

  private static Map<String, URI> named(List<URI> sources) {
    Map<String, URI> named = new LinkedHashMap<>();
    Set<String> taken = new HashSet<>();
    for (URI source : sources) {
      String file = name(source);
      String ext = extension(file);
      String stem = (ext.isEmpty() ? file : file.substring(0, file.length() - ext.length() - 1))
          .replaceAll("[^A-Za-z0-9._-]", "_");
      String out = stem + "-inverted." + (EXTENSIONS.contains(ext) ? ext : "png");
      for (int i = 2; !taken.add(out); i++) {
        out = stem + "-" + i + "-inverted." + (EXTENSIONS.contains(ext) ? ext : "png");
      }
      named.put(out, source);
    }
    return named;
  }

  /** The file name of a source: the last segment of its path. */
  static String name(URI source) {
    String path = source.getPath() == null ? "" : source.getPath();
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** Where a source is, for people: a file's path (relative when under this directory), else the URI. */
  static String label(URI source) {
    if (!"file".equalsIgnoreCase(source.getScheme())) {
      return source.toString();
    }
    Path path = Path.of(source);
    Path here = Path.of("").toAbsolutePath();
    return (path.startsWith(here) ? here.relativize(path) : path).toString();
  }

  /**
   * The format of a source that browsers do not show, whose inverse is therefore a PNG.
   *
   * @return TIFF or WBMP by the name's extension, else empty
   */
  static Optional<String> notShownByBrowsers(URI source) {
    return Optional.ofNullable(NOT_SHOWN.get(extension(name(source))));
  }

  static String extension(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }
}
