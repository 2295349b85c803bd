package dev.mesoskit.local;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.math.BigDecimal;

/**
 * Protobuf messages as Mesos writes them in JSON: proto field names, only the fields that are set,
 * bytes in base64, and 64-bit integers as JSON numbers (protobuf's JsonFormat writes them as
 * strings; stout writes numbers: {@code "size": 13}, {@code "nanoseconds": 1796601176264409000}).
 *
 * <p>Threading: stateless, any thread.
 */
final class MesosJson {
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().preservingProtoFieldNames().omittingInsignificantWhitespace();

  private MesosJson() {}

  /** A message as a JSON tree in Mesos' form. */
  static JsonObject tree(MessageOrBuilder message) {
    String text;
    try {
      text = PRINTER.print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot write " + message.getDescriptorForType()
          .getFullName() + " as JSON: " + e.getMessage(), e);
    }
    JsonObject tree = JsonParser.parseString(text).getAsJsonObject();
    numbers(tree, message.getDescriptorForType());
    return tree;
  }

  /**
   * A double as a JSON float, as Mesos writes every metric: {@code 1.0}, {@code 25276182528.0},
   * never {@code 1} or an exponent that Gson would print as an integer.
   */
  static BigDecimal jsonFloat(double value) {
    double d = Double.isFinite(value) ? value : 0.0;
    String plain = BigDecimal.valueOf(d).toPlainString();
    return new BigDecimal(plain.contains(".") ? plain : plain + ".0");
  }

  /** Turns the 64-bit integers JsonFormat wrote as strings back into numbers, in place. */
  private static void numbers(JsonObject object, Descriptor type) {
    for (FieldDescriptor field : type.getFields()) {
      JsonElement value = object.get(field.getName());
      if (value == null) {
        continue;
      }
      if (value.isJsonArray()) {
        JsonArray array = value.getAsJsonArray();
        for (int i = 0; i < array.size(); i++) {
          array.set(i, fixed(array.get(i), field));
        }
      } else {
        object.add(field.getName(), fixed(value, field));
      }
    }
  }

  private static JsonElement fixed(JsonElement value, FieldDescriptor field) {
    switch (field.getJavaType()) {
      case MESSAGE -> {
        if (value.isJsonObject()) {
          numbers(value.getAsJsonObject(), field.getMessageType());
        }
        return value;
      }
      case LONG -> {
        if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()) {
          return new JsonPrimitive(new BigDecimal(value.getAsString()));
        }
        return value;
      }
      default -> {
        return value;
      }
    }
  }
}
