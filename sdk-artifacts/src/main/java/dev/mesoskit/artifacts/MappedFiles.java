package dev.mesoskit.artifacts;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Memory mappings of recently served files, shared by every request for the same content.
 *
 * <p>Mapping a file per request would leave one mapping per request until the garbage collector
 * happens to free it (thousands, against the kernel's limit of about 65,000 per process) and
 * would fault every page in again for every request. Instead each content, keyed by its SHA-256,
 * size and modification time, is mapped once in regions of up to 1 GiB; requests write
 * read-only slices of those regions, so their bytes go from the page cache to the socket without
 * a copy through the heap. The least recently used {@value #MAX_ENTRIES} contents stay mapped;
 * an evicted mapping is released once the last request using it is done.
 *
 * <p>Threading: safe from any thread.
 */
final class MappedFiles {
  static final int MAX_ENTRIES = 64;

  private final long regionBytes;
  private final Map<String, MappedByteBuffer[]> mapped =
      new LinkedHashMap<>(MAX_ENTRIES, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, MappedByteBuffer[]> eldest) {
          return size() > MAX_ENTRIES;
        }
      };

  MappedFiles() {
    this(1L << 30);
  }

  MappedFiles(long regionBytes) {
    this.regionBytes = regionBytes;
  }

  /**
   * A read-only slice of an artifact's bytes that does not cross a region boundary.
   *
   * @param file the opened artifact's channel
   * @param artifact what the channel holds
   * @param position the first byte
   * @param maxLength the most bytes wanted
   * @return a buffer of at least 1 and at most {@code maxLength} bytes
   */
  ByteBuffer slice(FileChannel file, Artifact artifact, long position, int maxLength)
      throws IOException {
    MappedByteBuffer[] regions = regions(file, artifact);
    int region = (int) (position / regionBytes);
    int offset = (int) (position % regionBytes);
    ByteBuffer slice = regions[region].duplicate();
    slice.position(offset);
    slice.limit((int) Math.min((long) offset + maxLength, slice.capacity()));
    return slice.slice().asReadOnlyBuffer();
  }

  /** How many contents are mapped now. */
  int size() {
    synchronized (mapped) {
      return mapped.size();
    }
  }

  private MappedByteBuffer[] regions(FileChannel file, Artifact artifact) throws IOException {
    // The mtime too: a file linked in from elsewhere may be rewritten in place, and its mapping
    // must then never serve another artifact that has the old content.
    String key = artifact.sha256() + "/" + artifact.size() + "/" + artifact.modified();
    synchronized (mapped) {
      MappedByteBuffer[] regions = mapped.get(key);
      if (regions != null) {
        return regions;
      }
    }
    long size = artifact.size();
    MappedByteBuffer[] regions = new MappedByteBuffer[(int) ((size + regionBytes - 1)
        / regionBytes)];
    for (int i = 0; i < regions.length; i++) {
      long start = i * regionBytes;
      regions[i] = file.map(FileChannel.MapMode.READ_ONLY, start,
          Math.min(regionBytes, size - start));
    }
    synchronized (mapped) {
      MappedByteBuffer[] raced = mapped.putIfAbsent(key, regions);
      return raced != null ? raced : regions;
    }
  }
}
