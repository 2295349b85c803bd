package dev.mesoskit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** agents, frameworks and tasks against the recorded answers of a real Mesos 1.12. */
class ListingCommandsTest {
  private static final String F = FakeMesos.FRAMEWORK_ID;
  private static final String A = FakeMesos.AGENT_ID;

  private FakeMesos fake;
  private String master;

  @BeforeEach
  void start() {
    fake = new FakeMesos();
    master = "--master=" + fake.master();
    assertThat(String.valueOf(fake.port())).hasSize(5); // the tables below have 5-digit ports
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  @Test
  void agentsPrintsOneAlignedRowPerAgentWithResources() {
    Run run = Run.of("agents", master);

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("""
        ID                                       HOST       PORT   STATE   RESOURCES\
                                               ALLOCATED
        %s  127.0.0.1  %d  active  cpus:2 mem:4096 disk:10240 ports:[31000-31999]\
          cpus:0.2 mem:64
        """.formatted(A, fake.port()));
  }

  @Test
  void agentsJsonIsTheMastersGetAgentsAnswer() {
    Run run = Run.of("agents", "--json", master);

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .isEqualTo(Json.pretty(fake.body("master-operator/GET_AGENTS.json")) + "\n");
    assertThat(run.out()).contains("\"port\": " + fake.port() + ",")
        .contains("\"value\": 2.0").startsWith("{\n  \"type\": \"GET_AGENTS\",\n");
  }

  @Test
  void frameworksPrintsActiveFrameworksWithAllocatedResources() {
    Run run = Run.of("frameworks", master);

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("""
        ID                                         NAME               STATE   USER  ROLES  ALLOCATED
        %s  reference-fixture  active  root  *      cpus:0.2 mem:64
        """.formatted(F));
  }

  @Test
  void frameworksAllAddsCompletedFrameworksAfterATeardown() {
    fake.recordings.put("GET_FRAMEWORKS", "master-operator/GET_FRAMEWORKS-after-TEARDOWN.json");

    assertThat(Run.of("frameworks", master).out()).isEqualTo("""
        ID  NAME  STATE  USER  ROLES  ALLOCATED
        """);
    assertThat(Run.of("frameworks", "--all", master).out()).isEqualTo("""
        ID                                         NAME               STATE      USER  ROLES  ALLOCATED
        %s  reference-fixture  completed  root  *      -
        """.formatted(F));
  }

  @Test
  void frameworksJsonIsTheMastersAnswerWithoutCompletedFrameworksUnlessAll() {
    fake.recordings.put("GET_FRAMEWORKS", "master-operator/GET_FRAMEWORKS-after-TEARDOWN.json");
    JsonObject recorded = fake.body("master-operator/GET_FRAMEWORKS-after-TEARDOWN.json");

    assertThat(Run.of("frameworks", "--json", "--all", master).out())
        .isEqualTo(Json.pretty(recorded) + "\n");
    assertThat(Run.of("frameworks", "--json", master).out()).isEqualTo("""
        {
          "type": "GET_FRAMEWORKS",
          "get_frameworks": {
            "frameworks": [],
            "completed_frameworks": []
          }
        }
        """);
  }

  @Test
  void tasksPrintsRunningThenCompletedTasksWithTheirAgentsHost() {
    Run run = Run.of("tasks", master);

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("""
        ID         NAME       STATE          FRAMEWORK                                  AGENT\
                                            HOST       RESOURCES
        sleeper    sleeper    TASK_RUNNING   %1$s  %2$s  127.0.0.1  cpus:0.2 mem:64
        echo-task  echo-task  TASK_FINISHED  %1$s  %2$s  127.0.0.1  cpus:0.1 mem:32
        """.formatted(F, A));
  }

  @Test
  void tasksFiltersByStateGivenInAnyCase() {
    String expected = """
        ID       NAME     STATE         FRAMEWORK                                  AGENT\
                                            HOST       RESOURCES
        sleeper  sleeper  TASK_RUNNING  %1$s  %2$s  127.0.0.1  cpus:0.2 mem:64
        """.formatted(F, A);

    assertThat(Run.of("tasks", "--state", "running", master).out()).isEqualTo(expected);
    assertThat(Run.of("tasks", "--state=TASK_RUNNING", master).out()).isEqualTo(expected);
    assertThat(Run.of("tasks", "-s", "Task_Running", master).out()).isEqualTo(expected);
  }

  @Test
  void tasksFiltersByFramework() {
    assertThat(Run.of("tasks", "--framework", F, "--state", "finished", master).out())
        .isEqualTo("""
            ID         NAME       STATE          FRAMEWORK                                  AGENT\
                                                HOST       RESOURCES
            echo-task  echo-task  TASK_FINISHED  %1$s  %2$s  127.0.0.1  cpus:0.1 mem:32
            """.formatted(F, A));
  }

  @Test
  void tasksOfAnUnknownFrameworkFailWithTheId() {
    Run run = Run.of("tasks", "--framework", "no-such-framework", master);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("mesoskit tasks: unknown framework id no-such-framework:"
        + " the master at " + fake.master() + " knows no such framework\n");
  }

  @Test
  void tasksWithAnUnknownStateIsAUsageError() {
    Run run = Run.of("tasks", "--state", "sleeping", master);

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("mesoskit: Invalid value for option '--state': state must be"
        + " one of staging, starting, running, killing, finished, failed, killed, error, lost,"
        + " dropped, unreachable, gone, gone_by_operator, unknown but was 'sleeping'\n"
        + "Try 'mesoskit tasks --help' for more information.\n");
    assertThat(fake.calls).isEmpty();
  }

  @Test
  void tasksJsonIsTheMastersGetTasksAnswerFilteredListByList() {
    JsonObject expected = fake.body("master-operator/GET_TASKS.json");
    JsonObject lists = expected.getAsJsonObject("get_tasks");
    lists.add("tasks", new JsonArray());

    Run run = Run.of("tasks", "--json", "--state", "finished", master);

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo(Json.pretty(expected) + "\n");
    assertThat(run.out()).contains("\"completed_tasks\": [\n      {\n        \"name\": \"echo-task\"")
        .doesNotContain("\"sleeper\"");
  }

  @Test
  void tasksWithoutFiltersJsonIsTheAnswerUnchanged() {
    assertThat(Run.of("tasks", "--json", master).out())
        .isEqualTo(Json.pretty(fake.body("master-operator/GET_TASKS.json")) + "\n");
  }

  @Test
  void callsAreTheOperatorApisJsonCalls() {
    Run.of("tasks", master);

    assertThat(fake.calls).containsExactly("{\"type\":\"GET_TASKS\"}", "{\"type\":\"GET_AGENTS\"}");
  }
}
