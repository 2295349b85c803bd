/**
 * Chapter 4, data between scheduler and executor: what a task carries, how agents fetch your
 * executor and your inputs from the artifact server, and how results come back. The program is
 * the image-invert example ({@code examples/image-invert}): one task per image, the executor
 * downloads the image, inverts it and uploads the inverse, and the scheduler collects each result
 * exactly once.
 *
 * <h2>Three ways data travels</h2>
 * <ul>
 *   <li><b>In the task.</b> {@link dev.mesoskit.core.TaskSpec.Builder#data} is a few bytes handed
 *       to the executor with the task (Mesos' {@code TaskInfo.data}), and
 *       {@link dev.mesoskit.core.TaskSpec.Builder#env} sets variables the handler reads from
 *       {@link dev.mesoskit.core.executor.TaskContext#env()}. Both travel through the master with
 *       every launch: keep them small (a URI and a name, not the image).
 *   <li><b>Files the agents fetch.</b> The {@link dev.mesoskit.artifacts.ArtifactServer} runs in
 *       the scheduler's JVM; {@code publish(file)} returns a content-addressed URI
 *       ({@code .../artifacts/<sha256>/<file name>}) that the Mesos fetcher downloads into the
 *       sandbox before the executor starts. Changed content gets a new URI, so the fetcher cache,
 *       which never refreshes a URI, cannot serve a stale jar.
 *   <li><b>Results back.</b> The handler uploads with
 *       {@link dev.mesoskit.core.executor.TaskContext#upload}: an HTTP {@code PUT} to the same
 *       server with the token the scheduler handed the executor and the content's SHA-256, which
 *       the server checks before it stores anything. The scheduler fetches the result once the
 *       task ended {@code FINISHED}.
 * </ul>
 *
 * <h2>The executor is your own jar</h2>
 * <p>The example's jar holds both the scheduler and the executor. The scheduler publishes it and
 * describes an executor that runs {@code java -cp image-invert.jar InvertExecutor} on each agent;
 * every task names that executor, so each agent starts it once and hands it many tasks.
 * {@link dev.mesoskit.artifacts.cli.FrameworkOptions#javaExecutor} does it in one call (with
 * {@code --executor-jar} to give another jar), on top of {@link dev.mesoskit.artifacts.JavaExecutor}:
 * <!-- region: examples/image-invert/src/main/java/dev/mesoskit/examples/imageinvert/InvertImages.java#executor -->
 * <pre>{@code
 * // The agents fetch this jar and run InvertExecutor from it, one executor per agent; its
 * // heap holds the images of the tasks it runs at once (about 150 MB each at 12 MP).
 * ExecutorSpec executor = cluster.javaExecutor(artifacts, "image-invert",
 *     InvertExecutor.class, ResourceSpec.of(0.1, 1024), "-Xmx768m");
 * }</pre>
 * <p>The executor's environment carries the artifact server's URL and upload token
 * ({@code MESOSKIT_ARTIFACTS_URL}, {@code MESOSKIT_ARTIFACTS_TOKEN}), and its id is a digest of
 * the whole command, jar included: a restarted scheduler, whose artifact server has a new port
 * and token, gets new executors instead of the old ones that would upload to a server that is
 * gone. {@code ResourceSpec.of(0.1, 1024)} is what the executor process itself needs (its 768 MB
 * heap and the JVM around it); packing counts it on the first task of each agent. The JVM's
 * defaults (C2 and G1) suit photos: C1 only and the serial GC save JIT time on small images but
 * decode and encode 12 MP images about a quarter slower (see {@code benchmarks/README.md}).
 *
 * <h2>The executor side</h2>
 * <p>One call of the handler per task, on its own thread. The task's data is
 * {@code <source URI>\n<output name>}; the limits come from the task's environment:
 * <!-- region: examples/image-invert/src/main/java/dev/mesoskit/examples/imageinvert/InvertExecutor.java#handler -->
 * <pre>{@code
 * System.exit(ExecutorMain.run(args, ctx -> {
 *   String[] data = ctx.dataAsString().split("\n", 2);
 *   byte[] image = ctx.download(URI.create(data[0]), Long.parseLong(ctx.env().get(ENV_MAX_BYTES)));
 *   ctx.progress("inverting " + image.length + " bytes from " + data[0]);
 *   byte[] inverse = Inversion.invert(image, data[1], Long.parseLong(ctx.env().get(ENV_MAX_PIXELS)));
 *   ctx.upload("inverted/" + data[1], inverse);
 * }));
 * }</pre>
 * <p>{@link dev.mesoskit.core.executor.TaskContext#download} refuses more than the limit before
 * reading it; {@code progress} sends a {@code TASK_RUNNING} update with a message the scheduler
 * sees in {@link dev.mesoskit.core.Task#message()}, at most one a second per task: an image done
 * within a second sends none (its {@code TASK_FINISHED} says all there is to say), one that takes
 * longer shows what it is doing. Returning ends the task {@code FINISHED};
 * throwing ends it {@code FAILED} with the exception's type and message. Bad input (a 404, a file that is
 * not an image, a decompression bomb) throws a
 * {@link dev.mesoskit.core.executor.PermanentFailure}, which is never retried; a network error is
 * an ordinary exception, retried under the framework's {@link dev.mesoskit.core.RetryPolicy}.
 *
 * <h2>Collecting results exactly once</h2>
 * <p>{@link dev.mesoskit.artifacts.batch.Batch} runs one task per key (here the output file name),
 * waits for every outcome, and for each task that ended {@code FINISHED} runs the
 * {@link dev.mesoskit.artifacts.batch.BatchCollector}: here {@code inverted/<name>} taken
 * straight from the store of the artifact server, which runs in the scheduler's JVM (no HTTP
 * round trip; {@code BatchCollector.download} fetches from a server elsewhere), into the output
 * directory: hard-linked when the output is on the store's file system (no copy), copied and
 * checked against the SHA-256 the server verified on upload otherwise, and renamed into place.
 * Only then does it record the key as done in the state directory, so a scheduler killed at any
 * moment and started again redoes only what is not recorded, and never leaves a partial or
 * duplicate file. The store is a directory in the output, {@code .artifacts}, so that an upload
 * a killed scheduler never collected is still there for the restarted one; the program deletes
 * it at the end, under the {@link dev.mesoskit.artifacts.batch.BatchLock} it takes first (the
 * batch runs under it), so no other run on the same output can start before it is gone. Input
 * files on this machine are published too (into {@code uris}, on every core, before the batch),
 * since agents on other hosts cannot read them; {@code publishLinked} links them into the store
 * instead of copying them where both are on one file system (an input rewritten in place during
 * the run then makes its URI answer 410 Gone):
 * <!-- region: examples/image-invert/src/main/java/dev/mesoskit/examples/imageinvert/InvertImages.java#batch -->
 * <pre>{@code
 * BatchSummary summary = Batch.builder().framework(framework).lock(lock)
 *     .task(name -> TaskSpec.builder().id("invert-" + name).name(name)
 *         .resources(ResourceSpec.of(cpus, memMb)).executor(executor)
 *         .data(uris.get(name) + "\n" + name)
 *         .env(InvertExecutor.ENV_MAX_BYTES, Long.toString(maxBytes))
 *         .env(InvertExecutor.ENV_MAX_PIXELS, Long.toString(maxPixels)).build())
 *     .collector(BatchCollector.fromStore(output, artifacts.store(),
 *         name -> "inverted/" + name))
 *     .progress(System.err).build()
 *     .run(sources.keySet());
 * }</pre>
 * <p>The framework itself comes from the same options: {@code cluster.framework("image-invert",
 * ...)} builds it on {@code --master} and {@code --driver}, keeping the framework id in memory on
 * the embedded cluster and in {@code <output>/.framework-id} on a real one.
 *
 * <h2>Run it</h2>
 * <p>From the repository root (the first command builds the example's jar):
 * <pre>
 * ./mvnw -B -q -pl examples/image-invert -am package -DskipTests
 * java -jar examples/image-invert/target/image-invert.jar
 * </pre>
 * <p>It starts the embedded 2-agent cluster, inverts the eight images of {@code images/}, names
 * the three files there that are not images (every input gets an outcome) and exits 0. It printed (the progress lines come on standard error, as a progress bar when it is a
 * terminal):
 * <pre>
 * batch: 0/8 done, 0 failed, 0 running, 8 pending, 0.0/s
 * batch: 0/8 done, 0 failed, 6 running, 2 pending, 0.0/s
 * batch: 3/8 done, 0 failed, 5 running, 0 pending, 2.0/s
 * batch: 8/8 done, 0 failed, 0 running, 0 pending, 5.1/s
 * image-invert: 11 inputs, 8 done, 0 failed, 3 skipped in 1.5 s (0 done before)
 *   SKIPPED images/GenImages.java: not an image: no JPEG, PNG, GIF, BMP, TIFF or WBMP header in 2794 bytes
 *   SKIPPED images/README.md: not an image: no JPEG, PNG, GIF, BMP, TIFF or WBMP header in 971 bytes
 *   SKIPPED images/urls.txt: not an image: no JPEG, PNG, GIF, BMP, TIFF or WBMP header in 362 bytes
 * output: /tmp/newuser2/inverted (gallery /tmp/newuser2/inverted/index.html)
 * gallery was served at http://127.0.0.1:46335/artifacts/inverted/index.html during the run (--serve keeps serving it)
 * </pre>
 * <p>{@code inverted/index.html} shows each original next to its inverse. Run the same command
 * again and it does nothing: {@code 8 done before}. {@code --images} takes a directory, a list
 * file or URLs; the {@linkplain dev.mesoskit.tutorial.reference reference} lists every flag.
 *
 * <p>Next: chapter 5, {@linkplain dev.mesoskit.tutorial.chapter5 a long-running service}.
 */
package dev.mesoskit.tutorial.chapter4;
