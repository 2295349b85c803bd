package dev.mesoskit.artifacts;

/** A class with no dependencies that {@code ExecutorJarTest} loads from jars it writes. */
public final class ExecutorJarProbe {
  private ExecutorJarProbe() {}
}
