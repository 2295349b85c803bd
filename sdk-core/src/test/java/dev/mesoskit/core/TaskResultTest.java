package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.core.spi.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A task's result: the data of its TASK_FINISHED update, read as {@link Task#result()}. */
class TaskResultTest {
  private final TestRig rig = new TestRig();

  private void push(TaskState state, String data) {
    rig.backend.events().update(new TaskStatus("t1.1", state, Optional.empty(), Optional.empty(),
        Optional.of("SOURCE_EXECUTOR"), Optional.of("a1"), Optional.of("e1"), Optional.empty(),
        Instant.EPOCH, Optional.ofNullable(data).map(d -> d.getBytes(StandardCharsets.UTF_8))));
    rig.loop.runPending();
  }

  private TaskId launched() {
    rig.started();
    TaskId id = rig.submit("t1", "cpus:1;mem:64");
    rig.offer("a1", "cpus:2;mem:1024");
    push(TaskState.RUNNING, "not a result");
    return id;
  }

  @Test
  void theDataOfTheFinishedUpdateIsTheTasksResult() {
    TaskId id = launched();
    assertThat(rig.task("t1").result()).isEmpty();

    push(TaskState.FINISHED, "sha256=9f86d081");

    Task done = rig.framework.outcome(id).join();
    assertThat(done.state()).isEqualTo(TaskState.FINISHED);
    assertThat(done.resultText()).hasValue("sha256=9f86d081");
    assertThat(done.result().orElseThrow())
        .isEqualTo("sha256=9f86d081".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aFinishedUpdateWithoutDataLeavesNoResult() {
    TaskId id = launched();

    push(TaskState.FINISHED, null);

    assertThat(rig.framework.outcome(id).join().result()).isEmpty();
  }

  @Test
  void theResultIsACopyAndComparedByItsBytes() {
    TaskId id = launched();
    push(TaskState.FINISHED, "42");
    Task done = rig.framework.outcome(id).join();

    done.result().orElseThrow()[0] = 'x';

    assertThat(done.resultText()).hasValue("42");
    Task same = new Task(done.id(), done.name(), done.state(), done.attempt(), done.done(),
        done.agentId(), done.hostname(), done.ports(), done.message(), done.reason(),
        done.submittedAt(), done.updatedAt(), Optional.of("42".getBytes(StandardCharsets.UTF_8)));
    assertThat(same).isEqualTo(done).hasSameHashCodeAs(done);
    assertThat(done.toString()).endsWith(", result=2 bytes]");
  }
}
