package dev.mesoskit.local;

import dev.mesoskit.core.Backends;
import dev.mesoskit.core.Framework;
import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.spi.FrameworkIdStore;
import java.util.concurrent.TimeUnit;

/**
 * A program that runs one task on the embedded cluster and returns from {@code main} without
 * closing anything, as a forgetful user's would. {@code ProgramExitIT} runs it in a JVM of its own.
 */
public final class ForgetfulProgram {
  private ForgetfulProgram() {}

  /**
   * Runs one command task on {@code --master=local} and prints its outcome.
   *
   * @param args unused
   * @throws Exception when the task does not end in time
   */
  public static void main(String[] args) throws Exception {
    Framework framework = Framework.builder().name("forgetful")
        .backend(Backends.fromArgs("--master=local"))
        .frameworkIdStore(FrameworkIdStore.inMemory()).build();
    framework.start();
    TaskId id = framework.submit(TaskSpec.builder().id("t").name("t").resources("cpus:0.1;mem:32")
        .command("true").build());
    Task outcome = framework.outcome(id).get(60, TimeUnit.SECONDS);
    System.out.println("outcome " + outcome.state());
    // no framework.close(), no cluster.close(): main returns here
  }
}
