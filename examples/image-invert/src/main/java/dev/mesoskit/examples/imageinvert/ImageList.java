package dev.mesoskit.examples.imageinvert;

import dev.mesoskit.artifacts.cli.UsageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Turns {@code --images} into the images of a batch: a directory (its JPEG, PNG, GIF and BMP
 * files), a list file (one URL or path per line, relative to the file, {@code #} comments), an
 * image file, or http(s)/file URLs; and names every output so the mapping is obvious:
 * {@code sunset.jpg -> sunset-inverted.jpg}, unknown extensions {@code -> .png}.
 */
final class ImageList {
  private static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "gif", "bmp");

  private ImageList() {}

  /**
   * Resolves the arguments.
   *
   * @return output name to source URI, in input order
   * @throws UsageException for a missing file or an empty list
   */
  static Map<String, URI> resolve(List<String> args) {
    List<URI> sources = new ArrayList<>();
    for (String arg : args) {
      if (arg.matches("(?i)(https?|file):.*")) {
        sources.add(URI.create(arg));
        continue;
      }
      Path path = Path.of(arg).toAbsolutePath().normalize();
      if (Files.isDirectory(path)) {
        try (Stream<Path> files = Files.list(path)) {
          files.filter(f -> EXTENSIONS.contains(extension(f.getFileName().toString())))
              .sorted().forEach(f -> sources.add(f.toUri()));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot list " + path, e);
        }
      } else if (!Files.isRegularFile(path)) {
        throw new UsageException("--images: no such file or directory: " + arg);
      } else if (EXTENSIONS.contains(extension(arg))) {
        sources.add(path.toUri());
      } else {
        try {
          for (String line : Files.readAllLines(path)) {
            String entry = line.strip();
            if (!entry.isEmpty() && !entry.startsWith("#")) {
              sources.add(entry.matches("(?i)(https?|file):.*") ? URI.create(entry)
                  : path.resolveSibling(entry).normalize().toUri());
            }
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read the list " + path, e);
        }
      }
    }
    if (sources.isEmpty()) {
      throw new UsageException("--images: no images in " + String.join(" ", args));
    }
    Map<String, URI> named = new LinkedHashMap<>();
    Set<String> taken = new HashSet<>();
    for (URI source : sources) {
      String file = source.getPath().substring(source.getPath().lastIndexOf('/') + 1);
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

  static String extension(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }
}
