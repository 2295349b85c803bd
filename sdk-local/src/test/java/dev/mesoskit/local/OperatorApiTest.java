package dev.mesoskit.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.master.Protos.Call;
import org.apache.mesos.v1.master.Protos.Response;
import org.junit.jupiter.api.Test;

/** How the operator API reads calls and writes answers, in Mesos' words (master-operator/). */
class OperatorApiTest {
  private static OperatorApi.Parsed parse(String contentType, String accept, String body) {
    return OperatorApi.parse("POST", contentType, accept, body.getBytes(StandardCharsets.UTF_8),
        Call.newBuilder(), "master");
  }

  private static OperatorApi.Parsed json(String body) {
    return parse("application/json", "application/json", body);
  }

  @Test
  void anUnknownOrLowercaseCallTypeIsDroppedSoTheTypeIsMissing() {
    for (String body : new String[] {"{\"type\":\"NOT_A_REAL_CALL\"}",
        "{\"type\":\"get_health\"}", "{}"}) {
      OperatorApi.Parsed p = json(body);
      assertThat(p.status()).isEqualTo(400);
      assertThat(p.error()).isEqualTo(
          "Failed to validate master::Call: Expecting 'type' to be present");
    }
  }

  @Test
  void aMalformedOrEmptyBodyIsAJsonSyntaxError() {
    assertThat(json("{\"type\": \"GET_HEALTH\",").error())
        .isEqualTo("Failed to parse body into JSON: syntax error at line 1 near: ");
    assertThat(json("").error())
        .isEqualTo("Failed to parse body into JSON: syntax error at line 1 near: ");
  }

  @Test
  void aPayloadOfTheWrongJsonTypeIsIgnoredAsMesosIgnoresIt() {
    OperatorApi.Parsed p = json("{\"type\":\"GET_HEALTH\",\"get_health\":5}");
    assertThat(p.error()).isNull();
    assertThat(((Call) p.call()).getType()).isEqualTo(Call.Type.GET_HEALTH);
  }

  @Test
  void theMediaTypesAreCheckedAndNoAcceptMeansJson() {
    assertThat(parse("text/plain", "application/json", "{}").status()).isEqualTo(415);
    assertThat(parse("text/plain", "application/json", "{}").error())
        .isEqualTo("Expecting 'Content-Type' of application/json or application/x-protobuf");
    assertThat(parse("application/json", "text/html", "{}").error())
        .isEqualTo("Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'");
    assertThat(parse("application/json", null, "{\"type\":\"GET_HEALTH\"}").wire())
        .isEqualTo(Wire.JSON);
    assertThat(OperatorApi.parse("GET", null, null, new byte[0], Call.newBuilder(), "master")
        .error()).isEqualTo(
            "405 Method Not Allowed. Expecting one of { 'POST' }, but received 'GET'.");
  }

  @Test
  void aProtobufCallIsReadAndTheAgentNamesItsOwnCall() {
    byte[] body = Call.newBuilder().setType(Call.Type.GET_TASKS).build().toByteArray();
    OperatorApi.Parsed p = OperatorApi.parse("POST", "application/x-protobuf",
        "application/x-protobuf", body, Call.newBuilder(), "master");
    assertThat(((Call) p.call()).getType()).isEqualTo(Call.Type.GET_TASKS);
    assertThat(p.wire()).isEqualTo(Wire.PROTOBUF);
    assertThat(OperatorApi.parse("POST", "application/json", null,
        "{\"type\":\"NOPE\"}".getBytes(StandardCharsets.UTF_8),
        org.apache.mesos.v1.agent.Protos.Call.newBuilder(), "agent").error())
        .isEqualTo("Failed to validate agent::Call: Expecting 'type' to be present");
  }

  @Test
  void answersListTheirEmptyListsAnd64BitIntegersAsNumbers() {
    JsonObject tasks = OperatorApi.json(Response.newBuilder().setType(Response.Type.GET_TASKS)
        .setGetTasks(Response.GetTasks.getDefaultInstance()).build());
    assertThat(tasks.toString()).isEqualTo("{\"type\":\"GET_TASKS\",\"get_tasks\":{\"tasks\":[],"
        + "\"unreachable_tasks\":[],\"completed_tasks\":[]}}");
    JsonObject time = MesosJson.tree(Protos.TimeInfo.newBuilder()
        .setNanoseconds(1796601176264409000L).build());
    assertThat(time.toString()).isEqualTo("{\"nanoseconds\":1796601176264409000}");
  }

  @Test
  void metricValuesAreAlwaysJsonFloats() {
    assertThat(MesosJson.jsonFloat(1).toString()).isEqualTo("1.0");
    assertThat(MesosJson.jsonFloat(25276182528.0).toString()).isEqualTo("25276182528.0");
    assertThat(MesosJson.jsonFloat(Double.NaN).toString()).isEqualTo("0.0");
  }
}
