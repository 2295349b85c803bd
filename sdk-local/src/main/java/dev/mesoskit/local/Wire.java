package dev.mesoskit.local;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * The two encodings of the v1 HTTP APIs and their content negotiation, as the Mesos master and
 * agent implement them: bodies in {@code application/x-protobuf} or {@code application/json}
 * (proto field names) named literally, anything else 415; a stream in the type the {@code Accept}
 * header of its SUBSCRIBE allows, JSON first, neither 406; streams framed as RecordIO.
 */
enum Wire {
  PROTOBUF("application/x-protobuf"),
  JSON("application/json");

  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().preservingProtoFieldNames().omittingInsignificantWhitespace();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final TypeAdapter<JsonElement> JSON_TREE = new Gson().getAdapter(JsonElement.class);

  final String mediaType;

  Wire(String mediaType) {
    this.mediaType = mediaType;
  }

  /**
   * The encoding of a request body, or empty when the Content-Type is neither (415). Mesos
   * compares the header literally: {@code application/json; charset=utf-8} is refused.
   */
  static Optional<Wire> ofContentType(String contentType) {
    for (Wire w : values()) {
      if (w.mediaType.equals(contentType)) {
        return Optional.of(w);
      }
    }
    return Optional.empty();
  }

  /**
   * The encoding the Accept header asks for, or empty when it allows neither (406), as
   * libprocess' {@code Request::acceptsMediaType} decides and the master asks: JSON when it is
   * accepted at all (also through {@code application/*} or {@code *}{@code /*}, or with no Accept
   * header), else protobuf; a media type with {@code q=0} is not accepted.
   */
  static Optional<Wire> ofAccept(String accept) {
    if (accepts(accept, JSON.mediaType)) {
      return Optional.of(JSON);
    }
    if (accepts(accept, PROTOBUF.mediaType)) {
      return Optional.of(PROTOBUF);
    }
    return Optional.empty();
  }

  private static boolean accepts(String accept, String mediaType) {
    if (accept == null) {
      return true;
    }
    String header = accept.replace(" ", "").replace("\t", "").replace("\n", "");
    String type = mediaType.substring(0, mediaType.indexOf('/'));
    for (String candidate : new String[] {mediaType, type + "/*", "*/*"}) {
      for (String range : header.split(",")) {
        String[] params = range.split(";");
        if (params.length == 0 || params[0].isEmpty()
            || !params[0].equalsIgnoreCase(candidate)) {
          continue;
        }
        for (int i = 1; i < params.length; i++) {
          String[] kv = params[i].split("=", 2);
          if (kv.length == 2 && kv[0].equals("q")) {
            try {
              return Double.parseDouble(kv[1]) > 0;
            } catch (NumberFormatException e) {
              return false;
            }
          }
        }
        return true;
      }
    }
    return false;
  }

  /** A body that is not a call: the message is Mesos' answer, for a 400. */
  static final class BadBody extends Exception {
    private static final long serialVersionUID = 1L;

    BadBody(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Parses a scheduler call as the master does, with its messages: {@code Failed to parse body
   * into JSON: ...}, {@code Failed to convert JSON into Call protobuf: ...} (also {@code Missing
   * required fields: ...}), {@code Failed to parse body into Call protobuf}. Unknown fields and
   * unknown enum values are dropped, as Mesos' JSON parser drops them.
   */
  Call parseCall(byte[] body) throws BadBody {
    Call.Builder call = Call.newBuilder();
    if (this == PROTOBUF) {
      try {
        call.mergeFrom(body);
      } catch (InvalidProtocolBufferException e) {
        throw new BadBody("Failed to parse body into Call protobuf");
      }
      if (!call.isInitialized()) {
        throw new BadBody("Failed to parse body into Call protobuf");
      }
      String notUtf8 = notUtf8(body, Call.getDescriptor());
      if (notUtf8 != null) {
        throw new BadBody("Failed to parse body into Call protobuf: " + notUtf8);
      }
      return call.build();
    }
    JsonElement tree = jsonTree(body);
    String text = new String(body, StandardCharsets.UTF_8);
    List<String> missing = new ArrayList<>();
    missingFields(tree, Call.getDescriptor(), "", missing);
    if (!missing.isEmpty()) {
      throw new BadBody("Failed to convert JSON into Call protobuf: Missing required fields: "
          + String.join(", ", missing));
    }
    try {
      PARSER.merge(text, call);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new BadBody("Failed to convert JSON into Call protobuf: " + e.getMessage());
    }
    return call.build();
  }

  /**
   * A JSON body as a tree, refused as Mesos' parser refuses it, and where Java could not keep an
   * id exactly as sent: a string with an unpaired UTF-16 surrogate ({@code "\\ud800"}, which
   * picojson refuses too), or bytes that are not UTF-8 (which Mesos would pass on as they are, and
   * a Java string cannot hold). Refusing the whole call is the only answer that never comes back
   * under a mangled id.
   *
   * @param body the request body
   * @return the parsed tree
   * @throws BadBody {@code Failed to parse body into JSON: ...}
   */
  static JsonElement jsonTree(byte[] body) throws BadBody {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body)).toString();
    } catch (CharacterCodingException e) {
      throw new BadBody("Failed to parse body into JSON: the body is not UTF-8 text");
    }
    if (deeperThan(text, MAX_JSON_DEPTH)) {
      // Mesos' parser stops there too (stout's STOUT_JSON_MAX_DEPTH); Gson's would overflow the
      // stack long before a body reached the size limit.
      throw new BadBody("Failed to parse body into JSON: nesting deeper than " + MAX_JSON_DEPTH
          + " levels");
    }
    JsonElement tree;
    try {
      JsonReader reader = new JsonReader(new StringReader(text));
      tree = JSON_TREE.read(reader);
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        throw new BadBody("Failed to parse body into JSON: trailing characters after the value");
      }
    } catch (IOException | RuntimeException e) {
      throw new BadBody("Failed to parse body into JSON: " + e.getMessage());
    }
    String unpaired = unpairedSurrogate(tree);
    if (unpaired != null) {
      throw new BadBody("Failed to parse body into JSON: the string \"" + unpaired
          + "\" holds an unpaired UTF-16 surrogate");
    }
    return tree;
  }

  /**
   * Whether every string field of a protobuf body is UTF-8: protobuf-java reads other bytes as
   * U+FFFD, so an id made of them would come back changed, and two of them would be taken for
   * one. (Mesos keeps such bytes as they are; a Java string cannot.)
   *
   * @param body a body that parsed as {@code type}
   * @param type its message type
   * @return null, or which field holds bytes that are not UTF-8
   */
  static String notUtf8(byte[] body, Descriptors.Descriptor type) {
    try {
      if (allUtf8(body, 0, body.length, type)) {
        return null; // every call that is fine: one pass, nothing built
      }
    } catch (IOException | RuntimeException e) {
      // the walk below says how the body is unreadable
    }
    try {
      String path = notUtf8(ByteString.copyFrom(body), type, "");
      return path == null ? null : "the string field '" + path + "' is not UTF-8";
    } catch (InvalidProtocolBufferException e) {
      return "unreadable: " + e.getMessage();
    }
  }

  /**
   * Whether every string field of {@code body[from, to)}, at any depth, holds UTF-8, read straight
   * from the wire (an ACCEPT of hundreds of tasks, or each acknowledgement, is read once more
   * here, so nothing is built). False, or an exception, sends the caller to the walk that names
   * the first field in error.
   */
  private static boolean allUtf8(byte[] body, int from, int to, Descriptors.Descriptor type)
      throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(body, from, to - from);
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      if (WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        if (!in.skipField(tag)) {
          throw new IOException("an end-group tag outside of a group");
        }
        continue;
      }
      int length = in.readRawVarint32();
      int start = from + in.getTotalBytesRead();
      if (length < 0 || length > to - start) {
        throw new IOException("a length past the end");
      }
      in.skipRawBytes(length);
      Descriptors.FieldDescriptor descriptor =
          type.findFieldByNumber(WireFormat.getTagFieldNumber(tag));
      if (descriptor == null) {
        continue;
      }
      if (descriptor.getType() == Descriptors.FieldDescriptor.Type.STRING
          && !UnsafeByteOperations.unsafeWrap(body, start, length).isValidUtf8()) {
        return false;
      }
      if (descriptor.getJavaType() == Descriptors.FieldDescriptor.JavaType.MESSAGE
          && !allUtf8(body, start, start + length, descriptor.getMessageType())) {
        return false;
      }
    }
    return true;
  }

  private static String notUtf8(ByteString bytes, Descriptors.Descriptor type, String prefix)
      throws InvalidProtocolBufferException {
    UnknownFieldSet fields = UnknownFieldSet.parseFrom(bytes);
    for (Map.Entry<Integer, UnknownFieldSet.Field> field : fields.asMap().entrySet()) {
      Descriptors.FieldDescriptor descriptor = type.findFieldByNumber(field.getKey());
      if (descriptor == null) {
        continue;
      }
      for (ByteString value : field.getValue().getLengthDelimitedList()) {
        if (descriptor.getType() == Descriptors.FieldDescriptor.Type.STRING
            && !value.isValidUtf8()) {
          return prefix + descriptor.getName();
        }
        if (descriptor.getJavaType() == Descriptors.FieldDescriptor.JavaType.MESSAGE) {
          String inner = notUtf8(value, descriptor.getMessageType(),
              prefix + descriptor.getName() + ".");
          if (inner != null) {
            return inner;
          }
        }
      }
    }
    return null;
  }

  /** The deepest nesting of arrays and objects stout's JSON parser accepts. */
  static final int MAX_JSON_DEPTH = 200;

  /** Whether JSON text nests arrays and objects deeper than {@code limit}; strings are skipped. */
  static boolean deeperThan(String text, int limit) {
    int depth = 0;
    boolean inString = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '[' || c == '{') {
        if (++depth > limit) {
          return true;
        }
      } else if (c == ']' || c == '}') {
        depth--;
      }
    }
    return false;
  }

  /** The first string of the tree (key or value) with an unpaired surrogate, escaped; or null. */
  private static String unpairedSurrogate(JsonElement json) {
    if (json.isJsonPrimitive() && json.getAsJsonPrimitive().isString()) {
      return unpaired(json.getAsString()) ? escape(json.getAsString()) : null;
    }
    if (json.isJsonArray()) {
      for (JsonElement e : json.getAsJsonArray()) {
        String found = unpairedSurrogate(e);
        if (found != null) {
          return found;
        }
      }
    } else if (json.isJsonObject()) {
      for (var entry : json.getAsJsonObject().entrySet()) {
        if (unpaired(entry.getKey())) {
          return escape(entry.getKey());
        }
        String found = unpairedSurrogate(entry.getValue());
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  private static boolean unpaired(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return true;
        }
      } else if (Character.isLowSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  /** Printable ASCII as is, everything else as {@code \\uXXXX}; at most 80 characters shown. */
  private static String escape(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length() && out.length() < 80; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
        out.append(c);
      } else {
        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      }
    }
    return out.toString();
  }

  /** The required fields a JSON object lacks, as protobuf's InitializationErrorString names them. */
  private static void missingFields(JsonElement json, Descriptors.Descriptor type, String prefix,
      List<String> out) {
    if (!json.isJsonObject()) {
      return;
    }
    JsonObject object = json.getAsJsonObject();
    for (Descriptors.FieldDescriptor field : type.getFields()) {
      JsonElement value = object.has(field.getName()) ? object.get(field.getName())
          : object.get(field.getJsonName());
      if (value == null || value.isJsonNull()) {
        if (field.isRequired()) {
          out.add(prefix + field.getName());
        }
        continue;
      }
      if (field.getJavaType() != Descriptors.FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      if (field.isRepeated() && value.isJsonArray()) {
        for (int i = 0; i < value.getAsJsonArray().size(); i++) {
          missingFields(value.getAsJsonArray().get(i), field.getMessageType(),
              prefix + field.getName() + "[" + i + "].", out);
        }
      } else if (!field.isRepeated()) {
        missingFields(value, field.getMessageType(), prefix + field.getName() + ".", out);
      }
    }
  }

  byte[] encode(Message message) {
    if (this == PROTOBUF) {
      return message.toByteArray();
    }
    try {
      return PRINTER.print(message).getBytes(StandardCharsets.UTF_8);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print " + message.getDescriptorForType(), e);
    }
  }

  /** One RecordIO record: the decimal length, a newline, the bytes. */
  byte[] record(Message message) {
    byte[] payload = encode(message);
    byte[] header = (payload.length + "\n").getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[header.length + payload.length];
    System.arraycopy(header, 0, out, 0, header.length);
    System.arraycopy(payload, 0, out, header.length, payload.length);
    return out;
  }
}
