/**
 * The image-invert batch example: {@link dev.mesoskit.examples.imageinvert.InvertImages} (the
 * scheduler, {@code java -jar image-invert.jar}) runs one task per image on
 * {@link dev.mesoskit.examples.imageinvert.InvertExecutor} (the executor, the same jar fetched from
 * the artifact server), which downloads, inverts and uploads the image. Local files that are no
 * image Java's ImageIO reads are skipped before any task, with the reason ({@code ImageFormats});
 * the summary and the gallery name every input's outcome.
 *
 * <p>Where it sits: an example on top of sdk-core, sdk-artifacts and sdk-local.
 *
 * <p>Threading: the scheduler collects results on one timer thread; the executor handles each task
 * on its own thread and keeps no state between tasks.
 *
 * <pre>{@code
 * int exit = InvertImages.run(System.out, "--images", "images", "--output", "inverted");
 * }</pre>
 */
package dev.mesoskit.examples.imageinvert;
