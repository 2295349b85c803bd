package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.core.spi.FrameworkIdStore;
import dev.mesoskit.core.testing.FakeBackend;
import dev.mesoskit.core.testing.ManualScheduler;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The count of updates not yet acknowledged, as observers hear it, never goes below zero. */
class AcknowledgementsOutstandingTest {

  @Test
  void theUpdateThatEndsTheLastTaskOfAFinishingFrameworkLeavesTheCountAtZero() {
    ManualScheduler loop = new ManualScheduler();
    FakeBackend backend = new FakeBackend();
    List<Integer> heard = new ArrayList<>();
    Framework framework = Framework.builder().name("acks").backend(backend).executor(loop)
        .clock(loop.clock()).frameworkIdStore(FrameworkIdStore.inMemory())
        .observer(new FrameworkObserver() {
          @Override
          public void acknowledgementsOutstanding(int outstanding) {
            heard.add(outstanding);
          }
        }).build();
    framework.start();
    loop.runPending();
    backend.subscribed("fw-1");
    loop.runPending();
    framework.submit(TaskSpec.builder().id("t1").name("t1").resources("cpus:1;mem:64")
        .command("true").build());
    loop.runPending();
    backend.offer("a1", "cpus:1;mem:64");
    loop.runPending();
    framework.finish(); // torn down by the update that ends t1, while it is being handled
    loop.runPending();
    backend.update("t1.1", "a1", TaskState.FINISHED, null, null);
    loop.runPending();

    assertThat(framework.isTerminated()).isTrue();
    assertThat(backend.tornDown()).isTrue();
    assertThat(heard).containsExactly(1, 0);
  }
}
