package dev.mesoskit.artifacts.batch;

import dev.mesoskit.artifacts.ArtifactStore;
import dev.mesoskit.core.Task;
import java.net.URI;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The step that takes a finished task's result, e.g. downloads it into an output directory. A
 * {@link Batch} calls it once per key whose task ended {@code FINISHED}, and records the key as
 * done only when it returned; a collector that throws leaves the key not done, so a later run
 * redoes it. It must therefore leave no partial output: write to a temporary file and move it
 * into place atomically, as {@link #download} does.
 *
 * <p>Threading: called on the batch's collector threads, possibly for several keys at once.
 */
@FunctionalInterface
public interface BatchCollector {
  /**
   * Collects one finished task's result.
   *
   * @param key the batch key
   * @param task the task's outcome snapshot, state {@code FINISHED}
   * @throws Exception when the result cannot be collected; the key fails with the message
   */
  void collect(String key, Task task) throws Exception;

  /**
   * Cleans up what an interrupted earlier run left, before the first {@link #collect}: called by
   * {@link Batch#run} once it holds its state directory's lock, so no other batch is writing
   * there. The built-in collectors delete their temporary files. Does nothing by default.
   *
   * @throws Exception when the output cannot be cleaned; the run fails before submitting
   */
  default void prepare() throws Exception {}

  /**
   * Downloads every key's result over HTTP into {@code directory/<key>}: into a temporary file
   * {@code .<key>.<random>.part} first, checked against the artifact server's {@code ETag} (the
   * SHA-256) when it sends one, synced, then moved into place atomically, replacing whatever an
   * interrupted earlier run left. Temporary files an earlier run left are deleted by
   * {@link #prepare}.
   *
   * <pre>{@code
   * BatchCollector collector = BatchCollector.download(Path.of("inverted"),
   *     key -> artifacts.uri("inverted/" + key));
   * }</pre>
   *
   * @param directory the output directory, created when missing
   * @param source where the result of a key is, e.g. an artifact server URI
   * @return the collector
   * @throws java.io.UncheckedIOException when the directory cannot be created
   */
  static BatchCollector download(Path directory, Function<String, URI> source) {
    return new DownloadCollector(directory, source);
  }

  /**
   * Copies every key's result from an artifact store into {@code directory/<key>}, without HTTP:
   * for a scheduler whose {@link dev.mesoskit.artifacts.ArtifactServer} runs in its own JVM (pass
   * {@code server.store()}). Like {@link #download}, the result goes to a temporary file
   * {@code .<key>.<random>.part} first, synced, then moved into place atomically; a key whose
   * artifact is missing or does not match fails and leaves no file. The store writes that file
   * ({@link dev.mesoskit.artifacts.ArtifactStore#getFile}): a directory store on the same file
   * system hard-links it, so a result costs no copy and no second copy of its bytes on disk
   * (the output file and the stored upload are then one file: a tool that writes into an
   * output in place changes the stored upload too); otherwise the bytes are copied and checked
   * against the size and SHA-256 the store recorded. Temporary files an earlier run left are
   * deleted by {@link #prepare}. Keep the store in a directory that outlives the scheduler (not
   * a temporary one): a task that uploaded its result just before the scheduler was killed is
   * reported {@code FINISHED} to the restarted one, which can then collect it only from there.
   *
   * <pre>{@code
   * BatchCollector collector = BatchCollector.fromStore(Path.of("inverted"), artifacts.store(),
   *     key -> "inverted/" + key);
   * }</pre>
   *
   * @param directory the output directory, created when missing
   * @param store the store the results are uploaded to, e.g. {@code server.store()}
   * @param name the artifact name of a key's result
   * @return the collector
   * @throws java.io.UncheckedIOException when the directory cannot be created
   */
  static BatchCollector fromStore(Path directory, ArtifactStore store,
      Function<String, String> name) {
    return new StoreCollector(directory, store, name);
  }
}
