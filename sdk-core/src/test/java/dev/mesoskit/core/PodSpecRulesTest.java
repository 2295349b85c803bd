package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A pod refuses what Mesos' default executor cannot run, with exact messages. */
class PodSpecRulesTest {

  private static TaskSpec.Builder task(String name) {
    return TaskSpec.builder().name(name).resources("cpus:0.1;mem:32").command("run");
  }

  @Test
  void aPodNeedsANonBlankName() {
    assertThatThrownBy(() -> PodSpec.builder(" ").task(task("a").build()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a pod's name must not be blank but was  ");
  }

  @Test
  void aPodNeedsATask() {
    assertThatThrownBy(() -> PodSpec.builder("p").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pod p must have at least one task");
  }

  @Test
  void aPodsTasksRunOnTheDefaultExecutor() {
    ExecutorSpec executor = ExecutorSpec.of("exec", CommandSpec.shell("./run"));
    TaskSpec custom = TaskSpec.builder().name("b").resources("cpus:0.1;mem:32").executor(executor)
        .build();

    assertThatThrownBy(() -> PodSpec.builder("p").task(task("a").build()).task(custom).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pod p: task b names an executor, but a pod's tasks run on Mesos' default"
            + " executor; give it a command");
  }

  @Test
  void aPodsTaskNamesAreDistinct() {
    assertThatThrownBy(() -> PodSpec.builder("p").task(task("a").build()).task(task("a").build())
        .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pod p has two tasks named 'a'");
  }

  @Test
  void aPodsTasksUseOneRole() {
    assertThatThrownBy(() -> PodSpec.builder("p").task(task("a").build())
        .task(task("b").role("web").build()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pod p: every task must use one role but b uses web and a the default role");
  }

  @Test
  void aPodsSharedVolumeStaysInItsSandbox() {
    assertThatThrownBy(() -> PodSpec.builder("p").task(task("a").build()).sharedVolume("/abs")
        .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a sandbox volume's path must be relative to the sandbox and not contain"
            + " '..' but was '/abs'");
  }

  @Test
  void aValidPodKeepsItsTasksInOrder() {
    PodSpec pod = PodSpec.builder("p").task(task("a").build()).task(task("b").build())
        .sharedVolume("shared").build();

    assertThat(pod.tasks()).extracting(TaskSpec::name).containsExactly("a", "b");
    assertThat(pod.sharedVolumes()).containsExactly("shared");
  }
}
