package dev.mesoskit.cli;

import com.google.gson.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Mesos resources as short text, {@code cpus:2 mem:4096 disk:10240 ports:[31000-31999]}: the
 * scalars of one name and role added up, reserved resources as {@code cpus(role):2}.
 */
final class ResourceText {
  private ResourceText() {}

  static String format(List<JsonObject> resources) {
    Map<String, BigDecimal> scalars = new LinkedHashMap<>();
    Map<String, List<String>> lists = new LinkedHashMap<>();
    List<String> order = new ArrayList<>();
    for (JsonObject r : resources) {
      String key = Json.text(r, "name").orElse("?") + role(r);
      if (!order.contains(key)) {
        order.add(key);
      }
      String type = Json.text(r, "type").orElse("");
      switch (type) {
        case "SCALAR" -> scalars.merge(key,
            new BigDecimal(Json.text(r, "scalar", "value").orElse("0")), BigDecimal::add);
        case "RANGES" -> {
          for (JsonObject range : Json.objects(r, "ranges", "range")) {
            String begin = Json.text(range, "begin").orElse("?");
            String end = Json.text(range, "end").orElse("?");
            lists.computeIfAbsent(key, k -> new ArrayList<>())
                .add(begin.equals(end) ? begin : begin + "-" + end);
          }
        }
        case "SET" -> lists.computeIfAbsent(key, k -> new ArrayList<>())
            .addAll(Json.strings(r, "set", "item"));
        default -> lists.computeIfAbsent(key, k -> new ArrayList<>());
      }
    }
    List<String> parts = new ArrayList<>();
    for (String key : order) {
      if (scalars.containsKey(key)) {
        BigDecimal value = scalars.get(key).stripTrailingZeros();
        parts.add(key + ":" + value.toPlainString());
      } else {
        parts.add(key + ":[" + String.join(",", lists.getOrDefault(key, List.of())) + "]");
      }
    }
    return String.join(" ", parts);
  }

  /** {@code (role)} for a reserved resource, empty for an unreserved one. */
  private static String role(JsonObject resource) {
    List<JsonObject> reservations = Json.objects(resource, "reservations");
    String role = reservations.isEmpty() ? Json.text(resource, "role").orElse("*")
        : Json.text(reservations.get(reservations.size() - 1), "role").orElse("*");
    return role.equals("*") ? "" : "(" + role + ")";
  }
}
