package dev.mesoskit.local;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import org.apache.mesos.v1.executor.Protos.Event;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;

/**
 * The response to one executor's SUBSCRIBE: events as RecordIO records ({@code <length>\n<bytes>})
 * on a chunked HTTP response that stays open until {@link #close()} or until the executor goes away.
 *
 * <p>Threading: {@link #send} and {@link #close} may be called from any thread; they queue and
 * never block. Writes go out one at a time in order.
 */
final class EventStream {
  static final String JSON = "application/json";
  static final String PROTOBUF = "application/x-protobuf";

  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().preservingProtoFieldNames().omittingInsignificantWhitespace();

  private final Response response;
  private final Callback completion;
  private final boolean json;
  private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
  private boolean closing;
  private boolean lastWritten;
  private volatile Consumer<Throwable> onBroken = cause -> {};

  private final IteratingCallback pump = new IteratingCallback() {
    @Override
    protected Action process() {
      ByteBuffer next;
      boolean last = false;
      synchronized (EventStream.this) {
        next = pending.poll();
        if (next == null) {
          if (!closing) {
            return Action.IDLE;
          }
          if (lastWritten) {
            return Action.SUCCEEDED;
          }
          lastWritten = true;
          last = true;
          next = BufferUtil.EMPTY_BUFFER;
        }
      }
      response.write(last, next, this);
      return Action.SCHEDULED;
    }

    @Override
    protected void onCompleteSuccess() {
      completion.succeeded();
    }

    @Override
    protected void onCompleteFailure(Throwable cause) {
      synchronized (EventStream.this) {
        closing = true;
        pending.clear();
      }
      completion.failed(cause);
      onBroken.accept(cause);
    }
  };

  /**
   * A stream over a response whose status and content type are already set.
   *
   * @param response the SUBSCRIBE response
   * @param completion completed when the stream ends
   * @param json whether events are JSON (else protobuf)
   */
  EventStream(Response response, Callback completion, boolean json) {
    this.response = response;
    this.completion = completion;
    this.json = json;
  }

  /**
   * One RecordIO record.
   *
   * @param bytes the record
   * @return {@code <decimal length>\n<bytes>}
   */
  static byte[] record(byte[] bytes) {
    byte[] header = (bytes.length + "\n").getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[header.length + bytes.length];
    System.arraycopy(header, 0, out, 0, header.length);
    System.arraycopy(bytes, 0, out, header.length, bytes.length);
    return out;
  }

  /**
   * Runs when the connection breaks (the executor went away), not when {@link #close()} ends it.
   *
   * @param listener the listener
   */
  void onBroken(Consumer<Throwable> listener) {
    this.onBroken = listener;
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
    synchronized (this) {
      if (closing) {
        return;
      }
      pending.add(ByteBuffer.wrap(record(body)));
    }
    pump.iterate();
  }

  /** Ends the response after the queued events; idempotent. */
  void close() {
    synchronized (this) {
      if (closing) {
        return;
      }
      closing = true;
    }
    pump.iterate();
  }

  /**
   * Fails the stream because the connection failed.
   *
   * @param cause why
   */
  void abort(Throwable cause) {
    pump.abort(cause);
  }
}
