package dev.mesoskit.tutorial;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks that every code sample of the tutorial pages is a copy of a region of a tested source
 * file, so that a sample cannot drift from code that compiles and runs.
 *
 * <p>A region in any source file of the repository:
 * <pre>
 * // tutorial:begin NAME
 * ...code...
 * // tutorial:end NAME
 * </pre>
 * A sample in a page ({@code package-info.java} or {@code .html}) is a {@code <pre>{@code ...}</pre>}
 * block whose previous line holds {@code <!-- region: PATH#NAME -->}, PATH relative to the
 * repository root. The sample must equal the region line by line, apart from a common
 * indentation, trailing blanks and marker lines of other regions nested inside it.
 */
final class Snippets {
  private static final Pattern BEGIN = Pattern.compile("//\\s*tutorial:begin\\s+(\\S+)\\s*$");
  private static final Pattern END = Pattern.compile("//\\s*tutorial:end\\s+(\\S+)\\s*$");
  private static final Pattern MARKER = Pattern.compile("<!--\\s*region:\\s*([^#\\s]+)#(\\S+)\\s*-->");
  private static final Pattern JAVADOC_PREFIX = Pattern.compile("^\\s*\\*( |$)");

  private Snippets() {}

  /** A sample of a page, with where it is and what region it claims to be. */
  record Sample(Path page, int line, String file, String region, List<String> lines) {}

  /**
   * Reads the regions of a source file.
   *
   * @throws IllegalStateException for an end without begin, a region opened twice or never closed
   */
  static Map<String, List<String>> regions(Path file) {
    List<String> lines = read(file);
    Map<String, List<String>> done = new LinkedHashMap<>();
    Map<String, List<String>> open = new LinkedHashMap<>();
    Map<String, Integer> openedAt = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      Matcher b = BEGIN.matcher(line);
      Matcher e = END.matcher(line);
      if (b.find()) {
        String name = b.group(1);
        if (open.containsKey(name) || done.containsKey(name)) {
          throw new IllegalStateException(file + ":" + (i + 1) + ": region '" + name
              + "' begins a second time");
        }
        open.put(name, new ArrayList<>());
        openedAt.put(name, i + 1);
      } else if (e.find()) {
        String name = e.group(1);
        List<String> body = open.remove(name);
        if (body == null) {
          throw new IllegalStateException(file + ":" + (i + 1) + ": region '" + name
              + "' ends but never began");
        }
        done.put(name, body);
      } else {
        open.values().forEach(body -> body.add(line));
      }
    }
    if (!open.isEmpty()) {
      String name = open.keySet().iterator().next();
      throw new IllegalStateException(file + ":" + openedAt.get(name) + ": region '" + name
          + "' never ends");
    }
    return done;
  }

  /**
   * Finds the samples of a page; a {@code <pre>{@code} block without a region marker is reported
   * as a sample with a null file.
   */
  static List<Sample> samples(Path page) {
    boolean javadoc = page.getFileName().toString().endsWith(".java");
    List<String> lines = read(page).stream()
        .map(l -> javadoc ? JAVADOC_PREFIX.matcher(l).replaceFirst("") : l).toList();
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).strip().startsWith("<pre>{@code")) {
        continue;
      }
      Matcher m = i > 0 ? MARKER.matcher(lines.get(i - 1)) : null;
      List<String> body = new ArrayList<>();
      int j = i + 1;
      while (j < lines.size() && !lines.get(j).strip().equals("}</pre>")) {
        body.add(lines.get(j));
        j++;
      }
      if (j == lines.size()) {
        throw new IllegalStateException(page + ":" + (i + 1) + ": <pre>{@code has no }</pre>");
      }
      boolean marked = m != null && m.find();
      samples.add(new Sample(page, i + 1, marked ? m.group(1) : null, marked ? m.group(2) : null,
          body));
      i = j;
    }
    return samples;
  }

  /**
   * Checks every sample of the pages against its region.
   *
   * @param root the repository root, which region paths are relative to
   * @param pages the pages
   * @return one message per problem, empty when every sample equals its region
   */
  static List<String> check(Path root, List<Path> pages) {
    List<String> problems = new ArrayList<>();
    Map<Path, Map<String, List<String>>> cache = new LinkedHashMap<>();
    for (Path page : pages) {
      for (Sample s : samples(page)) {
        String where = root.relativize(page.toAbsolutePath().normalize()) + ":" + s.line();
        if (s.file() == null) {
          problems.add(where + ": sample has no <!-- region: PATH#NAME --> marker on the line"
              + " before it, so no test runs it");
          continue;
        }
        Path file = root.resolve(s.file()).normalize();
        if (!Files.isRegularFile(file)) {
          problems.add(where + ": region file " + s.file() + " does not exist");
          continue;
        }
        List<String> region = cache.computeIfAbsent(file, Snippets::regions).get(s.region());
        if (region == null) {
          problems.add(where + ": " + s.file() + " has no region '" + s.region() + "'");
          continue;
        }
        String diff = firstDifference(normalize(region), normalize(s.lines()));
        if (diff != null) {
          problems.add(where + ": sample differs from " + s.file() + "#" + s.region() + ": "
              + diff);
        }
      }
    }
    return problems;
  }

  /**
   * The tutorial pages under a directory: every {@code package-info.java} and {@code .html}.
   *
   * @param dir a directory, e.g. {@code docs/src/main}
   * @return the pages, sorted
   */
  static List<Path> pages(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> p.getFileName().toString().equals("package-info.java")
          || p.getFileName().toString().endsWith(".html")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the pages under " + dir, e);
    }
  }

  static List<String> normalize(List<String> lines) {
    List<String> out = new ArrayList<>(lines.stream().map(String::stripTrailing).toList());
    while (!out.isEmpty() && out.get(0).isEmpty()) {
      out.remove(0);
    }
    while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1);
    }
    int indent = out.stream().filter(l -> !l.isEmpty())
        .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
    return out.stream().map(l -> l.isEmpty() ? l : l.substring(indent)).toList();
  }

  private static String firstDifference(List<String> expected, List<String> actual) {
    for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
      String e = i < expected.size() ? expected.get(i) : "<no line>";
      String a = i < actual.size() ? actual.get(i) : "<no line>";
      if (!e.equals(a)) {
        return "line " + (i + 1) + " of the region is [" + e + "] but the sample has [" + a + "]";
      }
    }
    return null;
  }

  private static List<String> read(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
