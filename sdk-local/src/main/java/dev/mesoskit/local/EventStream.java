package dev.mesoskit.local;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.apache.mesos.v1.executor.Protos.Event;

/**
 * The response to one executor's SUBSCRIBE: executor events, in JSON or protobuf as the executor
 * asked, on a {@link RecordStream} that stays open until {@link #close()} or until the executor
 * goes away.
 *
 * <p>Threading: {@link #send} and {@link #close} may be called from any thread; they queue and
 * never block.
 */
final class EventStream {
  static final String JSON = "application/json";
  static final String PROTOBUF = "application/x-protobuf";

  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().preservingProtoFieldNames().omittingInsignificantWhitespace();

  private final RecordStream records;
  private final boolean json;

  /**
   * A stream of executor events.
   *
   * @param records the open record stream
   * @param json whether events are JSON (else protobuf)
   */
  EventStream(RecordStream records, boolean json) {
    this.records = records;
    this.json = json;
  }

  /**
   * Runs once when the connection breaks (the executor went away), not when {@link #close()} ends
   * it.
   *
   * @param listener the listener
   */
  void onBroken(Consumer<Throwable> listener) {
    records.onBroken(listener);
  }

  /**
   * Queues an event; dropped once the stream is closing.
   *
   * @param event the event
   */
  void send(Event event) {
    byte[] body;
    if (json) {
      try {
        body = PRINTER.print(event).getBytes(StandardCharsets.UTF_8);
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException("Cannot print event " + event.getType() + " as JSON", e);
      }
    } else {
      body = event.toByteArray();
    }
    records.send(RecordStream.record(body));
  }

  /** Ends the response after the queued events; idempotent. */
  void close() {
    records.close();
  }
}
