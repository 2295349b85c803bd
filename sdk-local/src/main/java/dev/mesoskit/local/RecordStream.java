package dev.mesoskit.local;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A streaming response of RecordIO records ({@code <length>\n<bytes>}) on a chunked HTTP response,
 * open until {@link #close()} or until the peer goes away: the subscription stream of the master's
 * scheduler API and of the agent's executor API.
 *
 * <p>No thread waits on a stream: records are queued and written asynchronously, one at a time in
 * order, so a thousand idle subscribers cost a thousand connections and no threads. As a Mesos
 * master or agent does, the stream notices at once when the peer closes its connection: once the
 * headers are out, the connection is watched for reading, and end of input (or a reset) breaks the
 * stream. The connection has no idle timeout (Mesos has none; heartbeats are the caller's).
 *
 * <p>When the stream ends by {@link #close()}, the last chunk is written and the connection is
 * closed, and the response says so ({@code Connection: close}) so that no client reuses it. (A
 * Mesos master keeps the connection for another request; clients open a new one to resubscribe
 * anyway.)
 *
 * <p>Threading: {@link #send} and {@link #close} may be called from any thread; they queue and
 * never block.
 */
final class RecordStream {
  private static final Logger LOG = LoggerFactory.getLogger(RecordStream.class);

  private final EndPoint endPoint;
  private final Response response;
  private final Callback completion;
  private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
  private boolean closing;
  private boolean lastWritten;
  private boolean started;
  private boolean headersSent;
  private boolean armed;
  private volatile boolean ended;
  private Consumer<Throwable> onBroken = cause -> {};
  private Throwable brokenBy;

  private final IteratingCallback pump = new IteratingCallback() {
    @Override
    protected Action process() {
      ByteBuffer next;
      boolean last = false;
      synchronized (RecordStream.this) {
        next = pending.poll();
        if (next == null) {
          if (!headersSent) {
            next = BufferUtil.EMPTY_BUFFER; // commits the headers
          } else if (!closing) {
            return Action.IDLE;
          } else if (lastWritten) {
            return Action.SUCCEEDED;
          } else {
            lastWritten = true;
            last = true;
            next = BufferUtil.EMPTY_BUFFER;
          }
        }
        headersSent = true;
      }
      response.write(last, next, this);
      return Action.SCHEDULED;
    }

    @Override
    public void succeeded() {
      watchForClose();
      super.succeeded();
    }

    @Override
    protected void onCompleteSuccess() {
      synchronized (RecordStream.this) {
        if (ended) {
          return; // the peer went away meanwhile: broken() completed the request
        }
        ended = true;
      }
      endPoint.close(); // also ends the watch, which then reports nothing
      completion.succeeded();
    }

    @Override
    protected void onCompleteFailure(Throwable cause) {
      broken(cause);
    }
  };

  private final Callback readable = new Callback() {
    @Override
    public void succeeded() {
      ByteBuffer sink = BufferUtil.allocate(512);
      try {
        int read = endPoint.fill(sink);
        if (read < 0) {
          broken(new EOFException("the peer closed the connection"));
          return;
        }
        if (read > 0) {
          LOG.debug("ignored {} bytes sent on a subscription stream", read);
        }
        rearm();
      } catch (IOException e) {
        broken(e);
      }
    }

    @Override
    public void failed(Throwable cause) {
      broken(cause);
    }
  };

  /**
   * A stream answering a request whose body has been read whole.
   *
   * @param request the subscription request
   * @param response its response
   * @param completion the request's callback, completed when the stream ends
   * @param contentType the media type of the records
   */
  RecordStream(Request request, Response response, Callback completion, String contentType) {
    this.endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
    this.response = response;
    this.completion = completion;
    endPoint.setIdleTimeout(0);
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.getHeaders().put(HttpHeader.CONNECTION, "close");
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
   * Sends the headers and the records queued so far, and starts watching for the peer to go.
   * Until then, {@link #send} and {@link #close} only queue: headers may still be added.
   */
  void start() {
    synchronized (this) {
      started = true;
    }
    pump.iterate();
  }

  /**
   * Runs once when the connection breaks (the peer went away or a write failed), not when
   * {@link #close()} ends the stream.
   *
   * @param listener the listener
   */
  void onBroken(Consumer<Throwable> listener) {
    Throwable already;
    synchronized (this) {
      this.onBroken = listener;
      already = brokenBy;
    }
    if (already != null) {
      listener.accept(already);
    }
  }

  /**
   * Queues a record; dropped once the stream is closing or has ended.
   *
   * @param record a whole RecordIO record (see {@link #record})
   */
  void send(byte[] record) {
    synchronized (this) {
      if (closing) {
        return;
      }
      pending.add(ByteBuffer.wrap(record));
      if (!started) {
        return;
      }
    }
    pump.iterate();
  }

  /** Ends the response after the queued records; idempotent. */
  void close() {
    synchronized (this) {
      if (closing) {
        return;
      }
      closing = true;
      if (!started) {
        return;
      }
    }
    pump.iterate();
  }

  /** Whether the stream has ended, by {@link #close()} or because the peer went away. */
  boolean ended() {
    return ended;
  }

  private void watchForClose() {
    synchronized (this) {
      if (armed || !headersSent) {
        return;
      }
      armed = true;
    }
    rearm();
  }

  private void rearm() {
    if (ended) {
      return;
    }
    if (!endPoint.tryFillInterested(readable)) {
      // Another reader holds the connection: the peer going away shows on the next write.
      LOG.debug("cannot watch a subscription connection for its close: already read");
    }
  }

  private void broken(Throwable cause) {
    Consumer<Throwable> listener;
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      closing = true;
      pending.clear();
      brokenBy = cause;
      listener = onBroken;
    }
    pump.abort(cause);
    endPoint.close();
    completion.failed(cause);
    listener.accept(cause);
  }
}
