package dev.mesoskit.local;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The two encodings of the v1 HTTP APIs and their content negotiation, as the Mesos master and
 * agent implement them: bodies in {@code application/x-protobuf} or {@code application/json}
 * (proto field names), anything else 415; responses in the type the {@code Accept} header allows,
 * anything else 406; streams framed as RecordIO.
 */
enum Wire {
  PROTOBUF("application/x-protobuf"),
  JSON("application/json");

  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().preservingProtoFieldNames().omittingInsignificantWhitespace();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

  final String mediaType;

  Wire(String mediaType) {
    this.mediaType = mediaType;
  }

  /** The encoding of a request body, or empty when the Content-Type is neither (415). */
  static Optional<Wire> ofContentType(String contentType) {
    if (contentType == null) {
      return Optional.empty();
    }
    String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    for (Wire w : values()) {
      if (w.mediaType.equals(type)) {
        return Optional.of(w);
      }
    }
    return Optional.empty();
  }

  /** The encoding the Accept header asks for, or empty when it allows neither (406). */
  static Optional<Wire> ofAccept(String accept) {
    if (accept == null || accept.isBlank()) {
      return Optional.empty();
    }
    String a = accept.toLowerCase(Locale.ROOT);
    if (a.contains(PROTOBUF.mediaType)) {
      return Optional.of(PROTOBUF);
    }
    if (a.contains(JSON.mediaType) || a.contains("*/*") || a.contains("application/*")) {
      return Optional.of(JSON);
    }
    return Optional.empty();
  }

  <T extends Message.Builder> T parse(byte[] body, T builder)
      throws InvalidProtocolBufferException {
    if (this == PROTOBUF) {
      builder.mergeFrom(body);
    } else {
      PARSER.merge(new String(body, StandardCharsets.UTF_8), builder);
    }
    return builder;
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
