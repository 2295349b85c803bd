/**
 * Batch jobs on a framework: {@link dev.mesoskit.artifacts.batch.Batch} runs one task per key,
 * collects every finished task's result exactly once ({@link
 * dev.mesoskit.artifacts.batch.BatchCollector}, e.g. a download from the artifact server into an
 * output directory, or a copy straight from its store when it runs in the scheduler's JVM),
 * records done keys in a state directory so that a restarted scheduler does
 * not redo them, and reports live counts ({@link dev.mesoskit.artifacts.batch.BatchProgress}), a
 * progress bar, and a {@link dev.mesoskit.artifacts.batch.BatchSummary} with every failure's
 * reason.
 *
 * <p>Where it sits: sdk-app, on sdk-core's public API ({@code Framework}, {@code TaskSpec},
 * {@code Task}) only; the executor side uploads with {@code TaskContext.upload}.
 *
 * <p>Threading: {@code Batch.run} blocks its caller; collectors run on the batch's threads;
 * progress is readable from any thread; values are immutable records.
 *
 * <pre>{@code
 * BatchSummary summary = Batch.builder().framework(framework).stateDirectory(state)
 *     .task(key -> specOf(key))
 *     .collector(BatchCollector.download(output, key -> server.uri("results/" + key)))
 *     .progress(System.err).build().run(keys);
 * }</pre>
 */
package dev.mesoskit.artifacts.batch;
