package dev.mesoskit.local;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Archive extraction for the fetcher, recognised by file name as mesos-fetcher does: {@code .tar},
 * {@code .tar.gz}, {@code .tgz}, {@code .zip} and bare {@code .gz}. Mesos also recognises
 * {@code .tar.bz2}, {@code .tbz2}, {@code .tar.xz} and {@code .txz}; a local agent refuses those
 * with an error rather than copying them silently.
 */
final class Archives {
  private static final int BLOCK = 512;

  private Archives() {}

  /**
   * Extracts an archive into a directory when its name says it is one.
   *
   * @param archive the file
   * @param directory where to extract (the sandbox)
   * @return false when the name is not an archive's (nothing done)
   * @throws IOException when extraction fails; the message is mesos-fetcher's
   */
  static boolean extract(Path archive, Path directory) throws IOException {
    String name = archive.getFileName().toString();
    try {
      if (name.endsWith(".tar")) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(archive))) {
          untar(in, directory);
        }
        return true;
      } else if (name.endsWith(".tar.gz") || name.endsWith(".tgz")) {
        try (InputStream in = new GZIPInputStream(
            new BufferedInputStream(Files.newInputStream(archive)))) {
          untar(in, directory);
        }
        return true;
      } else if (name.endsWith(".zip")) {
        unzip(archive, directory);
        return true;
      } else if (name.endsWith(".tar.bz2") || name.endsWith(".tbz2")
          || name.endsWith(".tar.xz") || name.endsWith(".txz")) {
        throw new IOException("bzip2 and xz archives are not supported by a local agent");
      }
    } catch (IOException e) {
      throw new IOException("Failed to extract archive '" + archive + "' to '" + directory + "': "
          + describe(e), e);
    }
    if (name.endsWith(".gz")) {
      Path target = directory.resolve(name.substring(0, name.length() - 3));
      try (InputStream in = new GZIPInputStream(Files.newInputStream(archive))) {
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new IOException("Failed to extract '" + archive + "': 'gunzip -d -c' failed: "
            + describe(e), e);
      }
      return true;
    }
    return false;
  }

  static String describe(IOException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static void unzip(Path archive, Path directory) throws IOException {
    try (ZipInputStream in = new ZipInputStream(
        new BufferedInputStream(Files.newInputStream(archive)))) {
      ZipEntry entry;
      boolean any = false;
      while ((entry = in.getNextEntry()) != null) {
        any = true;
        Path target = inside(directory, entry.getName());
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      if (!any) {
        throw new IOException("not a zip archive, or an empty one");
      }
    }
  }

  /** Reads ustar, GNU (long names) and pax (path, linkpath, size) tar streams. */
  private static void untar(InputStream in, Path directory) throws IOException {
    byte[] header = new byte[BLOCK];
    String longName = null;
    String longLink = null;
    Map<String, String> pax = Map.of();
    while (readBlock(in, header)) {
      if (isZero(header)) {
        return;
      }
      if (!validChecksum(header)) {
        throw new IOException("invalid tar header checksum");
      }
      String name = text(header, 0, 100);
      int mode = (int) number(header, 100, 8);
      long size = number(header, 124, 12);
      char type = (char) header[156];
      String link = text(header, 157, 100);
      if (text(header, 257, 6).startsWith("ustar")) {
        String prefix = text(header, 345, 155);
        if (!prefix.isEmpty()) {
          name = prefix + "/" + name;
        }
      }
      switch (type) {
        case 'L' -> {
          longName = new String(readData(in, size), StandardCharsets.UTF_8).replace("\0", "");
          continue;
        }
        case 'K' -> {
          longLink = new String(readData(in, size), StandardCharsets.UTF_8).replace("\0", "");
          continue;
        }
        case 'x' -> {
          pax = parsePax(readData(in, size));
          continue;
        }
        case 'g' -> {
          readData(in, size);
          continue;
        }
        default -> {
          // an entry
        }
      }
      if (longName != null) {
        name = longName;
      }
      if (longLink != null) {
        link = longLink;
      }
      name = pax.getOrDefault("path", name);
      link = pax.getOrDefault("linkpath", link);
      if (pax.containsKey("size")) {
        size = Long.parseLong(pax.get("size"));
      }
      longName = null;
      longLink = null;
      pax = Map.of();

      Path target = inside(directory, name);
      switch (type) {
        case '0', '\0', '7' -> {
          Files.createDirectories(target.getParent());
          try (OutputStream out = Files.newOutputStream(target)) {
            copy(in, out, size);
          }
          skip(in, padding(size));
          permissions(target, mode);
        }
        case '5' -> {
          Files.createDirectories(target);
          skipData(in, size);
        }
        case '2' -> {
          Files.createDirectories(target.getParent());
          Files.deleteIfExists(target);
          Files.createSymbolicLink(target, Path.of(link));
          skipData(in, size);
        }
        case '1' -> {
          Files.createDirectories(target.getParent());
          Files.copy(inside(directory, link), target, StandardCopyOption.REPLACE_EXISTING);
          skipData(in, size);
        }
        default -> skipData(in, size); // devices and fifos: nothing a sandbox needs
      }
    }
  }

  /** The path of an entry, which must stay inside the directory (libarchive's SECURE_NODOTDOT). */
  private static Path inside(Path directory, String name) throws IOException {
    String relative = name;
    while (relative.startsWith("/")) {
      relative = relative.substring(1);
    }
    Path target = directory.resolve(relative).normalize();
    if (!target.startsWith(directory.normalize())) {
      throw new IOException("entry '" + name + "' is outside the extraction directory");
    }
    return target;
  }

  private static void permissions(Path file, int mode) throws IOException {
    Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
        PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE,
        PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
        PosixFilePermission.OWNER_READ};
    for (int i = 0; i < bits.length; i++) {
      if ((mode & (1 << i)) != 0) {
        permissions.add(bits[i]);
      }
    }
    permissions.add(PosixFilePermission.OWNER_READ);
    permissions.add(PosixFilePermission.OWNER_WRITE);
    Files.setPosixFilePermissions(file, permissions);
  }

  private static Map<String, String> parsePax(byte[] data) {
    // records: "<length> <key>=<value>\n", length counting the whole record in bytes
    Map<String, String> values = new HashMap<>();
    int pos = 0;
    while (pos < data.length) {
      int space = pos;
      while (space < data.length && data[space] != ' ') {
        space++;
      }
      if (space >= data.length) {
        break;
      }
      int length;
      try {
        length = Integer.parseInt(new String(data, pos, space - pos, StandardCharsets.US_ASCII));
      } catch (NumberFormatException e) {
        break;
      }
      if (length <= 0 || pos + length > data.length) {
        break;
      }
      String record = new String(data, space + 1, pos + length - space - 2, StandardCharsets.UTF_8);
      int equals = record.indexOf('=');
      if (equals > 0) {
        values.put(record.substring(0, equals), record.substring(equals + 1));
      }
      pos += length;
    }
    return values;
  }

  private static boolean readBlock(InputStream in, byte[] block) throws IOException {
    int read = in.readNBytes(block, 0, block.length);
    if (read == 0) {
      return false;
    }
    if (read < block.length) {
      throw new EOFException("truncated tar archive");
    }
    return true;
  }

  private static byte[] readData(InputStream in, long size) throws IOException {
    if (size > 1 << 20) {
      throw new IOException("tar extension header of " + size + " bytes");
    }
    byte[] data = in.readNBytes((int) size);
    if (data.length < size) {
      throw new EOFException("truncated tar archive");
    }
    skip(in, padding(size));
    return data;
  }

  private static void skipData(InputStream in, long size) throws IOException {
    skip(in, size + padding(size));
  }

  private static long padding(long size) {
    return (BLOCK - size % BLOCK) % BLOCK;
  }

  private static void skip(InputStream in, long count) throws IOException {
    long left = count;
    byte[] buffer = new byte[BLOCK];
    while (left > 0) {
      int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (read < 0) {
        throw new EOFException("truncated tar archive");
      }
      left -= read;
    }
  }

  private static void copy(InputStream in, OutputStream out, long size) throws IOException {
    byte[] buffer = new byte[8192];
    long left = size;
    while (left > 0) {
      int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (read < 0) {
        throw new EOFException("truncated tar archive");
      }
      out.write(buffer, 0, read);
      left -= read;
    }
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean validChecksum(byte[] header) {
    long stored = number(header, 148, 8);
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : (header[i] & 0xff);
    }
    return stored == sum;
  }

  private static String text(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.UTF_8);
  }

  /** An octal field, or a base-256 one (GNU) when the high bit of its first byte is set. */
  private static long number(byte[] header, int offset, int length) {
    if ((header[offset] & 0x80) != 0) {
      long value = header[offset] & 0x7f;
      for (int i = offset + 1; i < offset + length; i++) {
        value = (value << 8) | (header[i] & 0xff);
      }
      return value;
    }
    long value = 0;
    for (int i = offset; i < offset + length; i++) {
      byte b = header[i];
      if (b >= '0' && b <= '7') {
        value = value * 8 + (b - '0');
      } else if (b == 0 || (b == ' ' && value > 0)) {
        break;
      }
    }
    return value;
  }
}
