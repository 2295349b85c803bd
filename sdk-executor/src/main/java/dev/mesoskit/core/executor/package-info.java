/**
 * The executor runtime: write a {@link dev.mesoskit.core.executor.TaskHandler} for one task, and
 * {@link dev.mesoskit.core.executor.ExecutorMain} connects to the agent, runs the handler for every
 * task the scheduler launches on this executor and reports each task to exactly one outcome.
 *
 * <p>Where it sits: the module sdk-executor, the executor-side twin of
 * {@link dev.mesoskit.core.Framework}. It speaks MesosKit values only and reaches the agent through
 * the {@link dev.mesoskit.core.spi.ExecutorBackend} port: the v1 executor HTTP API
 * ({@link dev.mesoskit.core.http.HttpExecutorBackend} of sdk-http, the default) or libmesos'
 * executor driver ({@code dev.mesoskit.core.jni.NativeExecutorBackend} of sdk-native,
 * {@code --driver=native}, found with {@link java.util.ServiceLoader} when that module is on the
 * class path). Protobuf stays in those backends.
 *
 * <p>Threading: every task's handler runs on its own daemon thread, so tasks run concurrently and
 * handlers may block; a kill interrupts that thread and cancels its
 * {@link dev.mesoskit.core.executor.TaskContext}. {@code TaskContext} is safe from any thread.
 * A task's Mesos-native health check and check run on the runtime's own daemon check threads,
 * never on a handler's or the backend's, and stop with the task or the executor.
 * {@link dev.mesoskit.core.executor.ExecutorMain#run} blocks its caller until the executor is
 * shut down or loses its agent, and returns an exit code.
 *
 * <p>Inputs and outputs: {@link dev.mesoskit.core.executor.TaskContext#download} reads a small
 * input into memory up to a limit; {@link dev.mesoskit.core.executor.TaskContext#downloadTo}
 * streams an input of any size to a file that is whole or absent (a temporary file renamed into
 * place once the body arrived); {@link dev.mesoskit.core.executor.TaskContext#upload} stores
 * bytes or a streamed file on the framework's artifact server, checked by SHA-256. Transfers
 * speak HTTP/1.1, do not retry, and sort failures as the task's outcome needs them: a
 * {@link dev.mesoskit.core.executor.PermanentFailure} for what no attempt fixes (a 4xx answer, a
 * refused token, a body over the limit), a {@link dev.mesoskit.core.MesosKitException} for what
 * another attempt may; a kill ends a transfer with a
 * {@link java.util.concurrent.CancellationException}.
 * {@link dev.mesoskit.core.executor.TaskContext#result(byte[])} keeps up to 64 KiB meant as the
 * data of the task's {@code TASK_FINISHED} update (see there for what is sent today).
 *
 * <pre>{@code
 * public final class InvertExecutor {
 *   public static void main(String[] args) {
 *     TaskHandler invert = context -> {
 *       URI image = URI.create(context.dataAsString());
 *       if (!image.getPath().endsWith(".png")) {
 *         throw new PermanentFailure("not a PNG image: " + image);   // never retried
 *       }
 *       context.progress("downloading " + image);
 *       Path out = Images.invert(image, context.sandbox());          // throws: FAILED, retried
 *       context.progress("inverted into " + out.getFileName());
 *     };                                                             // returns: FINISHED
 *     System.exit(ExecutorMain.run(args, invert));
 *   }
 * }
 * }</pre>
 */
package dev.mesoskit.core.executor;
