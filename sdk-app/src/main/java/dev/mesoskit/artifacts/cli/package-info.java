/**
 * Command lines of framework programs: {@link dev.mesoskit.artifacts.cli.FrameworkOptions}, the
 * picocli options every framework program shares ({@code --master}, {@code --driver},
 * {@code --principal}, {@code --secret-file}, {@code --framework-id-file}, {@code --address},
 * {@code --advertise}, {@code --executor-jar}) with what they build (the backend, the framework
 * id store, the artifact server, the Java executor), and
 * {@link dev.mesoskit.artifacts.cli.FrameworkMain}, which runs a program with the exit-code
 * convention (2 for bad usage) and turns SIGTERM/Ctrl-C into a stop request, and
 * {@link dev.mesoskit.artifacts.cli.Relaunch}, which starts a program's JVM again with JVM options
 * of its choosing (a scheduler's: the C1 compiler only), since {@code java -jar} takes none from
 * the jar.
 *
 * <p>Where it sits: sdk-app, on sdk-core's public API and the artifact server; picocli is
 * its only other dependency. The examples' schedulers are built on it.
 *
 * <p>Threading: the options are filled by picocli and read by the program on one thread.
 *
 * <pre>{@code
 * @Command(name = "hello", mixinStandardHelpOptions = true)
 * final class Hello implements Callable<Integer> {
 *   @Mixin FrameworkOptions cluster = new FrameworkOptions();
 *
 *   public Integer call() {
 *     try (Framework framework = cluster.framework("hello").build()) {
 *       ...
 *     }
 *   }
 *
 *   public static void main(String[] args) {
 *     System.exit(FrameworkMain.run(new Hello(), System.out, args));
 *   }
 * }
 * }</pre>
 */
package dev.mesoskit.artifacts.cli;
