package dev.mesoskit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResourceTextTest {
  private static JsonObject json(String text) {
    return JsonParser.parseString(text).getAsJsonObject();
  }

  @Test
  void addsUpScalarsOfOneNameAndShowsReservedRoles() {
    List<JsonObject> resources = List.of(
        json("{\"name\":\"cpus\",\"type\":\"SCALAR\",\"scalar\":{\"value\":0.1}}"),
        json("{\"name\":\"cpus\",\"type\":\"SCALAR\",\"scalar\":{\"value\":0.2}}"),
        json("{\"name\":\"cpus\",\"type\":\"SCALAR\",\"scalar\":{\"value\":2.0},"
            + "\"reservations\":[{\"type\":\"STATIC\",\"role\":\"web\"}]}"),
        json("{\"name\":\"ports\",\"type\":\"RANGES\",\"ranges\":{\"range\":["
            + "{\"begin\":31000,\"end\":31000},{\"begin\":31002,\"end\":31009}]}}"),
        json("{\"name\":\"gpus\",\"type\":\"SET\",\"set\":{\"item\":[\"a\",\"b\"]}}"));

    assertThat(ResourceText.format(resources))
        .isEqualTo("cpus:0.3 cpus(web):2 ports:[31000,31002-31009] gpus:[a,b]");
  }

  @Test
  void noResourcesIsEmpty() {
    assertThat(ResourceText.format(List.of())).isEmpty();
  }
}
