package dev.mesoskit.benchmarks;

import dev.mesoskit.core.executor.ExecutorMain;

/** A custom executor whose tasks do nothing, for {@link LocalClusterThroughput}'s executor mode. */
public final class NoopExecutor {
  private NoopExecutor() {}

  /**
   * Runs until the agent shuts the executor down.
   *
   * @param args passed to {@link ExecutorMain}
   */
  public static void main(String[] args) {
    System.exit(ExecutorMain.run(args, ctx -> { }));
  }
}
