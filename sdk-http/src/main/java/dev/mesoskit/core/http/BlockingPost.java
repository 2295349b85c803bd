package dev.mesoskit.core.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/1.1 POST to a plain {@code http://} peer over a blocking socket of its own: these
 * bytes with these headers, the answer's status and headers within a deadline, then its body as a
 * stream or as text up to a bound, and an {@link #abort} from any thread that closes the socket,
 * which ends a read blocked on it at once.
 *
 * <p>Why not the JDK's clients: {@code java.net.http}'s client cost a fresh executor JVM about
 * 460 classes (270 of them its own) and 50 to 100 ms before its first answer; and a blocking
 * {@link java.net.HttpURLConnection}, as cheap to start, cannot be aborted: on JDK 17 its
 * {@code disconnect()} from another thread waits, on the lock of the chunked or fixed-length body
 * stream, for the read blocked on it to return, which for a silent stream is never. This class
 * speaks the little HTTP/1.1 a Mesos API needs: one request with a {@code Content-Length} body,
 * no proxy, no redirect followed, no retry, {@code Connection: close} unless it carries an event
 * stream; an answer framed by chunks, a {@code Content-Length} or the end of the connection;
 * interim (1xx) answers skipped. A head longer than {@link #MAX_HEAD_BYTES} fails.
 *
 * <p>Connections: one per POST, never reused. A call asks for {@code Connection: close}; once
 * its answer is whole, {@link #start} waits (bounded) for the peer to close first, so that the
 * peer, not the executor, holds each connection's TIME_WAIT. An executor's calls are few; a
 * scheduler's many calls to one master would rather share kept-alive connections from a pool,
 * which this class may grow into.
 *
 * <p>Threading: {@link #send}, {@link #body}, {@link #text} and {@link #call} run on one thread,
 * in that order; {@link #abort} is safe from any thread, at any time, also before {@link #send}.
 */
final class BlockingPost implements Abortable {
  /**
   * The longest answer head (status line and headers) read; also the most bytes all of a chunked
   * answer's trailers may take.
   */
  static final int MAX_HEAD_BYTES = 64 * 1024;
  /** The most bytes read after a whole answer while waiting for the peer to close. */
  private static final int LINGER_BYTES = 64;
  /** The longest wait after a whole answer for the peer to close. */
  private static final int LINGER_MILLIS = 1000;
  /** The longest chunk size line (with its extensions) read. */
  static final int MAX_LINE_BYTES = 8 * 1024;

  /**
   * A whole answer.
   *
   * @param status the status code
   * @param body the body as text, cut as {@link #text} cuts it
   */
  record Answer(int status, String body) {}

  private final URI target;
  private final byte[] request;
  private final Duration connectTimeout;
  private final Duration headTimeout;
  private final Socket socket = new Socket(Proxy.NO_PROXY);
  private volatile boolean aborted;
  /** Whether the connection was made; until then a timeout is the connect's. */
  private volatile boolean connected;
  private SocketLines in;
  private ResponseHead head;
  /** How the answer's body is framed, one of {@link FramedBody}'s kinds; with its length. */
  private int framing;
  private long length;
  /** When {@link #send} started, in {@link System#nanoTime}. */
  private long started;
  /** Set by start(), read by abort(Throwable) from any thread. */
  private volatile CompletableFuture<Answer> answer;

  /**
   * A POST not yet sent.
   *
   * @param target the peer and path, {@code http://host:port/path}
   * @param headers the request headers besides {@code Host}, {@code Content-Length} and
   *     {@code Connection}
   * @param body the request body
   * @param stream whether the answer is an event stream that stays open: without it the request
   *     asks for {@code Connection: close}
   * @param connectTimeout how long the connection may take
   * @param headTimeout how long, from {@link #send}, the answer's status and headers may take
   */
  BlockingPost(URI target, Map<String, String> headers, byte[] body, boolean stream,
      Duration connectTimeout, Duration headTimeout) {
    this.target = target;
    this.connectTimeout = connectTimeout;
    this.headTimeout = headTimeout;
    StringBuilder h = new StringBuilder(256).append("POST ").append(target.getRawPath())
        .append(" HTTP/1.1\r\nHost: ").append(hostHeader(target)).append("\r\n");
    for (Map.Entry<String, String> e : headers.entrySet()) {
      if (breaksLine(e.getKey()) || breaksLine(e.getValue())) {
        throw new IllegalArgumentException("header " + e.getKey()
            + " must not contain a line break");
      }
      h.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
    }
    h.append("Content-Length: ").append(body.length).append("\r\n");
    if (!stream) {
      h.append("Connection: close\r\n");
    }
    byte[] headBytes = h.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    this.request = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, request, 0, headBytes.length);
    System.arraycopy(body, 0, request, headBytes.length, body.length);
  }

  /**
   * A protobuf POST of {@code body} to the API at {@code path} of {@code base}, as
   * {@link CallExchange#request} makes it for the JDK's client.
   */
  static BlockingPost protobuf(URI base, String path, Optional<String> authorization, byte[] body,
      boolean stream, Duration connectTimeout, Duration headTimeout) {
    Map<String, String> headers = new TreeMap<>();
    headers.put("Content-Type", CallExchange.PROTOBUF);
    headers.put("Accept", CallExchange.PROTOBUF);
    if (authorization.isPresent()) {
      headers.put("Authorization", authorization.get());
    }
    return new BlockingPost(base.resolve(path), headers, body, stream, connectTimeout,
        headTimeout);
  }

  /** Where the POST goes. */
  URI target() {
    return target;
  }

  /**
   * Connects, sends the request and reads the answer's status and headers.
   *
   * <p>The head timeout bounds the reads of the head only: the name's look-up and a write
   * blocked on a peer that does not read are not, so a caller that must not wait for ever
   * aborts the POST from a watchdog of its own (as {@link #start}'s callers and
   * {@link SubscriptionStream} do).
   *
   * @return the head of the answer (not an interim one)
   * @throws IOException when the peer cannot be reached or does not answer in time
   *     ({@link HttpConnectTimeoutException}, {@link HttpTimeoutException}), closes the connection
   *     without answering ({@link EOFException}), answers what is not HTTP, or the POST was
   *     aborted
   */
  ResponseHead send() throws IOException {
    try {
      return exchangeHeads();
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private ResponseHead exchangeHeads() throws IOException {
    started = System.nanoTime();
    long deadline = started + headTimeout.toNanos();
    checkNotAborted();
    try {
      socket.connect(new InetSocketAddress(target.getHost(), port(target)),
          millis(connectTimeout));
    } catch (SocketTimeoutException e) {
      checkNotAborted();
      throw (IOException) new HttpConnectTimeoutException("HTTP connect timed out").initCause(e);
    } catch (IOException e) {
      checkNotAborted();
      throw e;
    }
    connected = true;
    try {
      socket.setTcpNoDelay(true);
      OutputStream out = socket.getOutputStream();
      out.write(request);
      out.flush();
      in = new SocketLines(socket.getInputStream());
      ResponseHead h;
      do {
        h = readHead(deadline);
      } while (h.status() >= 100 && h.status() < 200);
      socket.setSoTimeout(0); // the body: the caller's watchdogs abort what takes too long
      frame(h);
      head = h;
      return h;
    } catch (SocketTimeoutException e) {
      checkNotAborted();
      throw (IOException) new HttpTimeoutException("request timed out").initCause(e);
    } catch (IOException e) {
      checkNotAborted();
      throw e;
    }
  }

  /**
   * The answer's body, decoded from its framing: reads block until bytes come, the body ends
   * ({@code -1}), or the POST is aborted (an {@link IOException}). Closing it closes the
   * connection.
   */
  InputStream body() {
    if (head == null) {
      throw new IllegalStateException("send() first");
    }
    return new FramedBody(in, framing, length, this::close);
  }

  /**
   * Judges how {@code h}'s body is framed: no body for 204 and 304; chunks when the
   * {@code Transfer-Encoding} is {@code chunked} (whatever the {@code Content-Length}); else the
   * {@code Content-Length}; else the end of the connection. A Mesos master or agent sends no
   * other coding, nor a length that is not one number.
   *
   * @throws IOException for a coding besides {@code chunked}, or an invalid or ambiguous length
   */
  private void frame(ResponseHead h) throws IOException {
    int status = h.status();
    if (status == 204 || status == 304) {
      framing = FramedBody.LENGTH;
      length = 0;
      return;
    }
    Optional<String> encoding = h.header("Transfer-Encoding");
    if (encoding.isPresent()) {
      for (String coding : encoding.get().split(",", -1)) {
        if (!coding.strip().equalsIgnoreCase("chunked")) {
          throw new IOException("unsupported Transfer-Encoding '"
              + PeerTrouble.brief("", encoding.get()) + "': only chunked is read");
        }
      }
      framing = FramedBody.CHUNKED;
      return;
    }
    Optional<String> lengths = h.header("Content-Length");
    if (lengths.isEmpty()) {
      framing = FramedBody.TO_CLOSE;
      return;
    }
    long n = -1;
    for (String value : lengths.get().split(",", -1)) {
      String v = value.strip();
      if (v.isEmpty() || v.length() > 18 || !digits(v)) {
        throw new IOException("invalid Content-Length '" + PeerTrouble.brief("", lengths.get())
            + "'");
      }
      long m = Long.parseLong(v);
      if (n >= 0 && m != n) {
        throw new IOException("conflicting Content-Length values '"
            + PeerTrouble.brief("", lengths.get()) + "'");
      }
      n = m;
    }
    framing = FramedBody.LENGTH;
    length = n;
  }

  /**
   * Reads the body as text, up to {@code limit} bytes: past that the connection is closed and the
   * text ends with {@code ... (cut at N bytes)}; 0 closes it unread. A body that breaks gives what
   * came of it, as {@link BoundedText} does.
   *
   * @throws IOException only when the POST was aborted
   */
  String text(int limit) throws IOException {
    return text(limit, false);
  }

  /** As {@link #text(int)}; with {@code keepOpen}, a body read to its end leaves it open. */
  private String text(int limit, boolean keepOpen) throws IOException {
    if (limit == 0) {
      close();
      return "";
    }
    boolean whole = false;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    InputStream b = body();
    byte[] buf = new byte[Math.min(limit + 1, 16 * 1024)];
    boolean cut = false;
    try {
      while (true) {
        int n = b.read(buf, 0, Math.min(buf.length, limit + 1 - out.size()));
        if (n < 0) {
          whole = true;
          break;
        }
        int keep = Math.min(n, limit - out.size());
        out.write(buf, 0, keep);
        if (keep < n) {
          cut = true;
          break;
        }
      }
    } catch (IOException e) {
      checkNotAborted();
    } finally {
      if (!(keepOpen && whole && framing != FramedBody.TO_CLOSE)) {
        close();
      }
    }
    String text = out.toString(StandardCharsets.UTF_8);
    return cut ? text + "... (cut at " + limit + " bytes)" : text;
  }

  /**
   * Sends the POST and reads its whole answer, its body up to {@code limit} bytes.
   *
   * @throws IOException as {@link #send} and {@link #text} throw
   */
  Answer call(int limit) throws IOException {
    ResponseHead h = send();
    return new Answer(h.status(), text(limit));
  }

  /**
   * After a whole answer: waits for the peer to close the connection, which a peer asked for
   * {@code Connection: close} does once it answered, then closes it; so the peer closes first and
   * holds the connection's TIME_WAIT, not this side, which would hold one (about 60 s) per call.
   * Bounded: at most {@link #LINGER_BYTES} more bytes, for at most {@link #LINGER_MILLIS} and
   * never past twice the head timeout from {@link #send}, as long as a call may take; any other
   * failure just closes.
   */
  private void lingerThenClose() {
    try {
      if (socket.isClosed()) {
        return;
      }
      long left = TimeUnit.NANOSECONDS.toMillis(started + 2 * headTimeout.toNanos()
          - System.nanoTime());
      if (left <= 0) {
        return;
      }
      // A peer asked to close does so right after its answer: one that keeps the connection
      // open must not hold one of the few call threads for long.
      socket.setSoTimeout((int) Math.min(LINGER_MILLIS, left));
      byte[] rest = new byte[LINGER_BYTES];
      int got = 0;
      while (got < rest.length) {
        int n = in.read(rest, got, rest.length - got);
        if (n < 0) {
          return; // the peer closed first
        }
        got += n;
      }
    } catch (IOException e) {
      // timed out, reset or aborted: closed below
    } finally {
      close();
    }
  }

  /**
   * Runs {@link #call} on one of {@code threads}; a POST aborted while it waited for a thread is
   * never sent, so a caller told it failed is never wrong about it. Once the answer is given, the
   * thread waits for the peer to close the connection first (see the class's connections).
   *
   * @return completes with the answer, or fails with why there is none or with what
   *     {@link #abort(Throwable)} was given
   * @throws java.util.concurrent.RejectedExecutionException when {@code threads} shut down
   */
  CompletableFuture<Answer> start(Executor threads, int limit) {
    CompletableFuture<Answer> f = new CompletableFuture<>();
    answer = f;
    // Not a lambda: one capturing an int costs a fresh executor's first call a few ms of method
    // handles.
    threads.execute(new Runnable() {
      @Override
      public void run() {
        if (f.isDone()) {
          return;
        }
        try {
          ResponseHead h = send();
          f.complete(new Answer(h.status(), text(limit, true)));
        } catch (IOException | RuntimeException | Error e) {
          f.completeExceptionally(e);
          close();
          return;
        }
        lingerThenClose(); // once the caller has its answer

      }
    });
    return f;
  }

  /**
   * Fails the answer of {@link #start} with {@code failure} unless it completed, and aborts.
   *
   * @return whether this failed the answer
   */
  @Override
  public boolean abort(Throwable failure) {
    CompletableFuture<Answer> f = answer;
    boolean failed = f != null && f.completeExceptionally(failure);
    abort();
    return failed;
  }

  /**
   * Closes the connection from any thread: a read or connect blocked on it ends with an
   * {@link IOException}, and a POST not sent yet never is. Idempotent.
   */
  void abort() {
    aborted = true;
    close();
  }

  /**
   * The failure of a caller's watchdog that aborts this POST at its timeout, worded as
   * {@link #send} words its own: a connect timeout until the connection was made.
   */
  IOException timeout() {
    return connected ? new HttpTimeoutException("request timed out")
        : new HttpConnectTimeoutException("HTTP connect timed out");
  }

  /** Whether {@link #abort} was called. */
  boolean aborted() {
    return aborted;
  }

  private void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing: nothing more to do
    }
  }

  private void checkNotAborted() throws IOException {
    if (aborted) {
      throw new IOException("aborted");
    }
  }

  private ResponseHead readHead(long deadline) throws IOException {
    int[] budget = {MAX_HEAD_BYTES, MAX_HEAD_BYTES};
    String statusLine = in.line(deadline, socket, budget, "answer head");
    if (statusLine == null) {
      throw new EOFException(budget[0] == MAX_HEAD_BYTES
          ? "the peer closed the connection without answering"
          : "the peer closed the connection inside the answer's head");
    }
    int status = -1;
    if (statusLine.startsWith("HTTP/1.") && statusLine.length() >= 12
        && statusLine.charAt(8) == ' '
        && (statusLine.length() == 12 || statusLine.charAt(12) == ' ')) {
      status = 0;
      for (int i = 9; i < 12 && status >= 0; i++) {
        char c = statusLine.charAt(i);
        status = c >= '0' && c <= '9' ? status * 10 + (c - '0') : -1;
      }
    }
    if (status < 100) {
      throw new IOException("not an HTTP/1.1 answer: '" + PeerTrouble.brief("", statusLine) + "'");
    }
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    while (true) {
      String line = in.line(deadline, socket, budget, "answer head");
      if (line == null) {
        throw new EOFException("the peer closed the connection inside the answer's head");
      }
      if (line.isEmpty()) {
        return new ResponseHead(status, headers);
      }
      int colon = line.indexOf(':');
      if (colon > 0) { // a repeated header's values joined, as one list (RFC 9110, 5.3)
        // Not Map.merge with a lambda: its bootstrap costs a fresh executor's first call.
        String name = line.substring(0, colon).strip();
        String value = line.substring(colon + 1).strip();
        String before = headers.get(name);
        headers.put(name, before == null ? value : before + ", " + value);
      }
    }
  }

  /**
   * The {@code Host} header of {@code target}: its host (an IPv6 address in brackets, as
   * {@link URI#getHost} gives it) and port; never its user information.
   */
  static String hostHeader(URI target) {
    return target.getPort() == -1 ? target.getHost() : target.getHost() + ":" + target.getPort();
  }

  private static boolean digits(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static boolean breaksLine(String text) {
    return text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0;
  }

  private static int port(URI uri) {
    return uri.getPort() != -1 ? uri.getPort() : 80;
  }

  private static int millis(Duration d) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
  }
}
