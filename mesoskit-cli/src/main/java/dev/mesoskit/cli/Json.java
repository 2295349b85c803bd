package dev.mesoskit.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads the JSON of Mesos' operator API, where any field may be absent. */
final class Json {
  private static final Gson PRETTY =
      new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create();

  private Json() {}

  /** Pretty-prints, two spaces per level. */
  static String pretty(JsonElement json) {
    return PRETTY.toJson(json);
  }

  /** The object at this path, or an empty object. */
  static JsonObject object(JsonObject from, String... path) {
    JsonElement at = at(from, path);
    return at != null && at.isJsonObject() ? at.getAsJsonObject() : new JsonObject();
  }

  /** The objects of the array at this path, or none. */
  static List<JsonObject> objects(JsonObject from, String... path) {
    JsonElement at = at(from, path);
    List<JsonObject> list = new ArrayList<>();
    if (at != null && at.isJsonArray()) {
      for (JsonElement e : at.getAsJsonArray()) {
        if (e.isJsonObject()) {
          list.add(e.getAsJsonObject());
        }
      }
    }
    return list;
  }

  /** The strings of the array at this path, or none. */
  static List<String> strings(JsonObject from, String... path) {
    JsonElement at = at(from, path);
    List<String> list = new ArrayList<>();
    if (at != null && at.isJsonArray()) {
      for (JsonElement e : at.getAsJsonArray()) {
        if (e.isJsonPrimitive()) {
          list.add(e.getAsString());
        }
      }
    }
    return list;
  }

  /** The scalar at this path as text (numbers as sent), if there is one. */
  static Optional<String> text(JsonObject from, String... path) {
    JsonElement at = at(from, path);
    return at != null && at.isJsonPrimitive() ? Optional.of(at.getAsString()) : Optional.empty();
  }

  /** The boolean at this path, or {@code otherwise}. */
  static boolean flag(JsonObject from, boolean otherwise, String... path) {
    JsonElement at = at(from, path);
    return at != null && at.isJsonPrimitive() ? at.getAsBoolean() : otherwise;
  }

  /** An array of these objects. */
  static JsonArray array(List<JsonObject> items) {
    JsonArray array = new JsonArray();
    items.forEach(array::add);
    return array;
  }

  private static JsonElement at(JsonObject from, String... path) {
    JsonElement at = from;
    for (String key : path) {
      if (at == null || !at.isJsonObject()) {
        return null;
      }
      at = at.getAsJsonObject().get(key);
    }
    return at == null || at.isJsonNull() ? null : at;
  }
}
