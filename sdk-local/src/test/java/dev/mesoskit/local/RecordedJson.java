package dev.mesoskit.local;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares an answer with a recording of a real Mesos 1.12 ({@code mesos-reference/}, copied from
 * {@code shared/mesos-reference}): keys, nesting and values must be equal, except where the
 * recording holds a placeholder: a whole {@code "<...>"} value matches any value, and a string
 * with placeholders inside ({@code "master@127.0.0.1:<master-port>"}) matches any text in their
 * place. Numbers compare by value ({@code 1.0} is not {@code 1}: the JSON type counts). Paths
 * listed as ignored (with {@code [*]} for any index) are documented differences, skipped.
 */
final class RecordedJson {
  private static final Pattern PLACEHOLDER = Pattern.compile("<[^<>]+>");

  private RecordedJson() {}

  /** A recording file under {@code mesos-reference/}, parsed. */
  static JsonObject recording(String name) {
    try (InputStream in = RecordedJson.class.getResourceAsStream("/mesos-reference/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no recording " + name);
      }
      return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .getAsJsonObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The recorded response body of an exchange file. */
  static JsonElement body(String name) {
    return recording(name).getAsJsonObject("response").get("body");
  }

  /**
   * The differences between a recorded value and an actual one; empty when they match.
   *
   * @param ignored JSON paths not compared, such as {@code $.get_tasks.tasks[*].statuses}
   */
  static List<String> differences(JsonElement recorded, JsonElement actual, Set<String> ignored) {
    List<String> out = new ArrayList<>();
    compare("$", recorded, actual, ignored, out);
    return out;
  }

  private static void compare(String path, JsonElement rec, JsonElement act, Set<String> ignored,
      List<String> out) {
    if (ignored.contains(path.replaceAll("\\[\\d+]", "[*]"))) {
      return;
    }
    if (rec.isJsonPrimitive() && rec.getAsJsonPrimitive().isString()) {
      String r = rec.getAsString();
      if (r.matches("<[^<>]+>")) {
        return;
      }
      if (!act.isJsonPrimitive() || !act.getAsJsonPrimitive().isString()) {
        out.add(path + ": recorded " + rec + " but was " + act);
      } else if (!text(r).matcher(act.getAsString()).matches()) {
        out.add(path + ": recorded " + rec + " but was " + act);
      }
      return;
    }
    if (rec.isJsonObject()) {
      if (!act.isJsonObject()) {
        out.add(path + ": recorded an object but was " + act);
        return;
      }
      JsonObject r = rec.getAsJsonObject();
      JsonObject a = act.getAsJsonObject();
      for (String key : r.keySet()) {
        if (!a.has(key)) {
          if (!ignored.contains((path + "." + key).replaceAll("\\[\\d+]", "[*]"))) {
            out.add(path + "." + key + ": missing");
          }
        } else {
          compare(path + "." + key, r.get(key), a.get(key), ignored, out);
        }
      }
      for (String key : a.keySet()) {
        if (!r.has(key) && !ignored.contains((path + "." + key).replaceAll("\\[\\d+]", "[*]"))) {
          out.add(path + "." + key + ": not recorded, was " + a.get(key));
        }
      }
      return;
    }
    if (rec.isJsonArray()) {
      if (!act.isJsonArray()) {
        out.add(path + ": recorded an array but was " + act);
        return;
      }
      JsonArray r = rec.getAsJsonArray();
      JsonArray a = act.getAsJsonArray();
      if (r.size() != a.size()) {
        out.add(path + ": recorded " + r.size() + " elements but was " + a.size() + ": " + a);
        return;
      }
      for (int i = 0; i < r.size(); i++) {
        compare(path + "[" + i + "]", r.get(i), a.get(i), ignored, out);
      }
      return;
    }
    if (rec.isJsonPrimitive() && rec.getAsJsonPrimitive().isNumber()) {
      if (!act.isJsonPrimitive() || !act.getAsJsonPrimitive().isNumber()
          || isInteger(rec) != isInteger(act)
          || new BigDecimal(rec.getAsString()).compareTo(new BigDecimal(act.getAsString())) != 0) {
        out.add(path + ": recorded " + rec + " but was " + act);
      }
      return;
    }
    if (!rec.equals(act)) {
      out.add(path + ": recorded " + rec + " but was " + act);
    }
  }

  /** Whether a JSON number is written as an integer ({@code 1}) rather than a float. */
  static boolean isInteger(JsonElement number) {
    String s = number.getAsString();
    return !s.contains(".") && !s.contains("e") && !s.contains("E");
  }

  private static Pattern text(String recorded) {
    StringBuilder regex = new StringBuilder();
    Matcher m = PLACEHOLDER.matcher(recorded);
    int last = 0;
    while (m.find()) {
      regex.append(Pattern.quote(recorded.substring(last, m.start()))).append(".+?");
      last = m.end();
    }
    regex.append(Pattern.quote(recorded.substring(last)));
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }
}
