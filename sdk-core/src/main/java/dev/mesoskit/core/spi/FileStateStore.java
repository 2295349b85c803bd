package dev.mesoskit.core.spi;

import dev.mesoskit.core.MesosKitException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link StateStore} in a directory of its own, holding three files:
 *
 * <ul>
 *   <li>{@code lock}: locked ({@link FileChannel#tryLock()}) while a store is open, holding
 *       {@code pid@host} of the holder for the message others get.
 *   <li>{@code snapshot}: every entry at one point, replaced atomically (temp file, fsync, rename,
 *       fsync of the directory): int magic {@code MKSS}, long generation, int entry count, entries
 *       (int key length, UTF-8 key, int value length, value), int CRC32C of all before it.
 *   <li>{@code log}: the changes since that snapshot. A 16-byte header (int magic
 *       {@code MKSL}, long generation, int CRC32C of both), then one record per
 *       {@link #apply}: int magic {@code MKSR}, int payload length, payload (int put count, puts
 *       as in the snapshot, int delete count, deletes as int length and UTF-8 key), int CRC32C of
 *       header and payload.
 * </ul>
 *
 * <p>{@link #apply} appends one record with one write and fsyncs it. {@link #open()} reads the
 * snapshot and replays the log over it; the first record that is short or fails its checksum is
 * where a crash interrupted a write, so the log is cut back to the record before it. When the log
 * outgrows max(4 MiB, twice the snapshot), the entries are written as a snapshot of the next
 * generation and the log starts again, empty, with that generation; a log older than the
 * snapshot (a crash between the two steps) is ignored, as the snapshot already holds it.
 */
final class FileStateStore implements StateStore {
  private static final Logger log = LoggerFactory.getLogger(FileStateStore.class);

  private static final int SNAPSHOT_MAGIC = 0x4D4B5353; // MKSS
  private static final int LOG_MAGIC = 0x4D4B534C; // MKSL
  private static final int RECORD_MAGIC = 0x4D4B5352; // MKSR
  private static final int LOG_HEADER_BYTES = 16;
  private static final int RECORD_HEADER_BYTES = 8;
  private static final long MIN_COMPACTION_BYTES = 4L * 1024 * 1024;
  private static final String IN_USE = "another scheduler instance uses this state store; run one"
      + " instance, or give every instance a leader election (Framework.Builder.leaderElection)"
      + " to run standbys";

  /** The lock files this JVM holds, by real path: one channel per file and JVM. */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();
  private static final String OWNER = ProcessHandle.current().pid() + "@" + hostName();

  private final Path directory;
  private final Path snapshotFile;
  private final Path logFile;
  private final Map<String, byte[]> entries = new LinkedHashMap<>();
  private Path lockKey;
  private FileChannel lockChannel;
  private FileChannel logChannel;
  private long generation;
  private long logGeneration;
  private long logBytes;
  private long snapshotBytes;
  private int directorySyncs;

  FileStateStore(Path directory) {
    this.directory = Objects.requireNonNull(directory, "directory must not be null")
        .toAbsolutePath();
    this.snapshotFile = this.directory.resolve("snapshot");
    this.logFile = this.directory.resolve("log");
  }

  @Override
  public synchronized void open() {
    if (lockChannel != null) {
      throw new IllegalStateException("state store is already open: dir=" + directory);
    }
    lock();
    try {
      deleteStaleTemps(); // only with the lock: a holder's compaction may be writing one
      recover();
    } catch (IOException e) {
      close();
      throw new MesosKitException("cannot read state store: dir=" + directory, e);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private void lock() {
    Path key;
    try {
      Files.createDirectories(directory);
      key = directory.toRealPath().resolve("lock"); // one key however the directory is named
    } catch (IOException e) {
      throw new MesosKitException("cannot create state store: dir=" + directory, e);
    }
    // Closing any descriptor of the lock file drops every POSIX lock this process holds on it, so
    // a store of this JVM that holds it is refused without opening the file a second time.
    if (!HELD.add(key)) {
      throw inUse(ownerName());
    }
    FileChannel channel = null;
    try {
      channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException sameJvm) {
        lock = null;
      }
      if (lock == null) {
        throw inUse(holder(channel));
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(ownerName().getBytes(StandardCharsets.UTF_8)), 0);
      lockKey = key;
      lockChannel = channel;
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel);
      HELD.remove(key);
      throw e instanceof RuntimeException r ? r
          : new MesosKitException("cannot lock state store: dir=" + directory, e);
    }
  }

  private MesosKitException inUse(String holder) {
    return new MesosKitException(IN_USE + ": dir=" + directory + " holder=" + holder);
  }

  private static String holder(FileChannel channel) {
    ByteBuffer buffer = ByteBuffer.allocate(256);
    try {
      channel.read(buffer, 0);
    } catch (IOException e) {
      return "unknown";
    }
    String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).trim();
    return text.isEmpty() ? "unknown" : text;
  }

  /** {@code pid@host} of this process. */
  static String ownerName() {
    return OWNER;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown-host";
    }
  }

  /** Deletes the snapshot temp files a process killed during a compaction left behind. */
  private void deleteStaleTemps() throws IOException {
    try (var temps = Files.newDirectoryStream(directory, "snapshot.*.tmp")) {
      for (Path tmp : temps) {
        Files.deleteIfExists(tmp);
        log.info("state store deleted a temp file left by an interrupted compaction dir={}"
            + " file={}", directory, tmp.getFileName());
      }
    }
  }

  private void recover() throws IOException {
    entries.clear();
    generation = readSnapshot();
    boolean created = !Files.exists(logFile);
    logChannel = FileChannel.open(logFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    if (created) { // else a power loss could lose the new file, and every change logged in it
      forceDirectory();
    }
    ByteBuffer header = ByteBuffer.allocate(LOG_HEADER_BYTES);
    logGeneration = readFully(logChannel, header, 0) && header.getInt(0) == LOG_MAGIC
        && header.getInt(12) == crc(header.array(), 12) ? header.getLong(4) : -1;
    if (logGeneration > generation) {
      throw new MesosKitException("state log is newer than its snapshot, a file was damaged or"
          + " replaced: dir=" + directory + " log=" + logGeneration + " snapshot=" + generation);
    }
    if (logGeneration < generation) { // empty, or older than the snapshot: nothing to replay
      resetLog();
      return;
    }
    long size = logChannel.size();
    long end = replay(size);
    if (end < size) {
      log.warn("state log had a torn record at its end, dropped it dir={} offset={} bytes={}",
          directory, end, size - end);
      logChannel.truncate(end);
      logChannel.force(false);
    }
    logBytes = end;
  }

  /** Replays the records of the log over the entries; returns the end of the last whole one. */
  private long replay(long size) throws IOException {
    long position = LOG_HEADER_BYTES;
    ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER_BYTES);
    while (readFully(logChannel, header.clear(), position)) {
      int length = header.getInt(4);
      if (header.getInt(0) != RECORD_MAGIC || length < 8
          || length > size - position - RECORD_HEADER_BYTES - 4) {
        break;
      }
      ByteBuffer record = ByteBuffer.allocate(RECORD_HEADER_BYTES + length + 4);
      if (!readFully(logChannel, record, position)
          || record.getInt(RECORD_HEADER_BYTES + length) != crc(record.array(), 8 + length)) {
        break;
      }
      try {
        record.position(RECORD_HEADER_BYTES).limit(RECORD_HEADER_BYTES + length);
        Map<String, byte[]> puts = readEntries(record);
        List<String> deletes = new ArrayList<>();
        for (int n = record.getInt(); n > 0; n--) {
          deletes.add(new String(readBytes(record), StandardCharsets.UTF_8));
        }
        deletes.forEach(entries::remove);
        entries.putAll(puts);
      } catch (BufferUnderflowException e) {
        break; // a checksum that matches garbage: treated as the end like any bad record
      }
      position += record.capacity();
    }
    return position;
  }

  /** Reads the snapshot into the entries; returns its generation, 0 when there is none. */
  private long readSnapshot() throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(snapshotFile);
    } catch (NoSuchFileException e) {
      snapshotBytes = 0;
      return 0;
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    try {
      if (bytes.length < 20 || buffer.getInt(0) != SNAPSHOT_MAGIC
          || buffer.getInt(bytes.length - 4) != crc(bytes, bytes.length - 4)) {
        throw new BufferUnderflowException();
      }
      buffer.position(4).limit(bytes.length - 4);
      long snapshotGeneration = buffer.getLong();
      entries.putAll(readEntries(buffer));
      snapshotBytes = bytes.length;
      return snapshotGeneration;
    } catch (BufferUnderflowException e) {
      throw new MesosKitException("state snapshot is damaged, its checksum or format does not"
          + " match: file=" + snapshotFile);
    }
  }

  @Override
  public synchronized Map<String, byte[]> load() {
    checkOpen("load");
    Map<String, byte[]> copy = new LinkedHashMap<>();
    entries.forEach((k, v) -> copy.put(k, v.clone()));
    return copy;
  }

  @Override
  public synchronized void apply(Map<String, byte[]> puts, Set<String> deletes) {
    StateStore.checkChange(puts, deletes);
    checkOpen("apply");
    int length = 8;
    for (String k : deletes) {
      length += 4 + utf8(k).length;
    }
    for (Map.Entry<String, byte[]> e : puts.entrySet()) {
      length += 8 + utf8(e.getKey()).length + e.getValue().length;
    }
    ByteBuffer record = ByteBuffer.allocate(RECORD_HEADER_BYTES + length + 4);
    record.putInt(RECORD_MAGIC).putInt(length);
    writeEntries(record, puts);
    record.putInt(deletes.size());
    deletes.forEach(k -> writeBytes(record, utf8(k)));
    record.putInt(crc(record.array(), record.position())).flip();
    try {
      if (logGeneration != generation) { // a compaction failed between snapshot and log
        startLog();
      }
      writeFully(logChannel, record, logBytes);
      logChannel.force(false);
    } catch (IOException e) { // a torn record is overwritten by the next write or cut at open
      throw new MesosKitException("cannot write state store: dir=" + directory, e);
    }
    logBytes += record.capacity();
    deletes.forEach(entries::remove);
    puts.forEach((k, v) -> entries.put(k, v.clone()));
    if (logBytes > Math.max(MIN_COMPACTION_BYTES, 2 * snapshotBytes)) {
      try {
        compact();
      } catch (IOException e) { // the change is durable in the log; the next change tries again
        log.warn("state store could not compact its log, keeps it and tries again dir={}"
            + " logBytes={} problem={}", directory, logBytes, e.toString());
      }
    }
  }

  @Override
  public synchronized void clear() {
    checkOpen("clear");
    Map<String, byte[]> before = new LinkedHashMap<>(entries);
    entries.clear();
    try {
      compact();
    } catch (IOException e) {
      if (generation == logGeneration) { // the empty snapshot was not written: nothing changed
        entries.putAll(before);
      }
      throw new MesosKitException("cannot clear state store: dir=" + directory, e);
    }
  }

  /** Writes the entries as the snapshot of the next generation, then starts an empty log. */
  private void compact() throws IOException {
    ByteBuffer snapshot = ByteBuffer.allocate(Math.toIntExact(snapshotSize()));
    snapshot.putInt(SNAPSHOT_MAGIC).putLong(generation + 1);
    writeEntries(snapshot, entries);
    snapshot.putInt(crc(snapshot.array(), snapshot.position())).flip();
    Path tmp = Files.createTempFile(directory, "snapshot.", ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        writeFully(channel, snapshot, 0);
        channel.force(true);
      }
      Files.move(tmp, snapshotFile, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
    generation++;
    snapshotBytes = snapshot.capacity();
    startLog();
  }

  /** Makes the rename of the snapshot durable, then cuts the log that it replaces. */
  private void startLog() throws IOException {
    forceDirectory();
    resetLog();
  }

  /** Makes the directory's entries (created and renamed files) durable. */
  private void forceDirectory() throws IOException {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    }
    directorySyncs++;
  }

  /** How often this store fsynced its directory; for tests. */
  int directorySyncs() {
    return directorySyncs;
  }

  private long snapshotSize() {
    long size = 4 + 8 + 4 + 4;
    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
      size += 8 + utf8(e.getKey()).length + e.getValue().length;
    }
    return size;
  }

  /** Empties the log and gives it the generation of the snapshot. */
  private void resetLog() throws IOException {
    ByteBuffer header = ByteBuffer.allocate(LOG_HEADER_BYTES);
    header.putInt(LOG_MAGIC).putLong(generation).putInt(crc(header.array(), 12)).flip();
    logChannel.truncate(0);
    writeFully(logChannel, header, 0);
    logChannel.force(false);
    logGeneration = generation;
    logBytes = LOG_HEADER_BYTES;
  }

  private void checkOpen(String operation) {
    if (logChannel == null) {
      throw new IllegalStateException(
          "state store is not open, call open() before " + operation + "(): dir=" + directory);
    }
  }

  @Override
  public synchronized void close() {
    closeQuietly(logChannel);
    logChannel = null;
    if (lockChannel != null) {
      closeQuietly(lockChannel); // releases the lock
      HELD.remove(lockKey);
      lockChannel = null;
      lockKey = null;
    }
    entries.clear();
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing held any more
      }
    }
  }

  @Override
  public String toString() {
    return "FileStateStore[" + directory + "]";
  }

  private static Map<String, byte[]> readEntries(ByteBuffer buffer) {
    Map<String, byte[]> result = new LinkedHashMap<>();
    for (int n = buffer.getInt(); n > 0; n--) {
      String key = new String(readBytes(buffer), StandardCharsets.UTF_8);
      result.put(key, readBytes(buffer));
    }
    return result;
  }

  private static void writeEntries(ByteBuffer buffer, Map<String, byte[]> map) {
    buffer.putInt(map.size());
    map.forEach((k, v) -> {
      writeBytes(buffer, utf8(k));
      writeBytes(buffer, v);
    });
  }

  private static byte[] readBytes(ByteBuffer buffer) {
    int length = buffer.getInt();
    if (length < 0 || length > buffer.remaining()) {
      throw new BufferUnderflowException();
    }
    byte[] bytes = new byte[length];
    buffer.get(bytes);
    return bytes;
  }

  private static void writeBytes(ByteBuffer buffer, byte[] bytes) {
    buffer.putInt(bytes.length).put(bytes);
  }

  private static byte[] utf8(String key) {
    return key.getBytes(StandardCharsets.UTF_8);
  }

  private static int crc(byte[] bytes, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, length);
    return (int) crc.getValue();
  }

  /** Reads until {@code buffer} is full; false when the file ends first. */
  private static boolean readFully(FileChannel channel, ByteBuffer buffer, long position)
      throws IOException {
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        return false;
      }
    }
    buffer.flip();
    return true;
  }

  private static void writeFully(FileChannel channel, ByteBuffer buffer, long position)
      throws IOException {
    while (buffer.hasRemaining()) { // one write for a file; the loop is the API's contract
      channel.write(buffer, position + buffer.position());
    }
  }
}
