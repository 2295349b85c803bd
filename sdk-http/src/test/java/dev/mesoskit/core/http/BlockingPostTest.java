package dev.mesoskit.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link BlockingPost} against raw loopback peers: the request on the wire, the framings of an
 * answer, bounds, failures in words, and aborts from another thread that end a blocked connect or
 * read (what a JDK {@code HttpURLConnection} cannot do to a chunked body on JDK 17).
 */
@Timeout(30)
class BlockingPostTest {
  private static final Duration LONG = Duration.ofSeconds(20);
  private static final byte[] BODY = {8, 1, 0x12, 3, 'a', 'b', 'c'};

  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private ServerSocket server;
  /** What each connection sent, in order: the request head and body as text. */
  private final BlockingQueue<String> requests = new LinkedBlockingQueue<>();
  /** Counts down when a connection's client closed it. */
  private final BlockingQueue<Integer> closedByClient = new LinkedBlockingQueue<>();
  private final AtomicInteger accepted = new AtomicInteger();

  interface Script {
    void answer(Socket socket, int connection) throws Exception;
  }

  @AfterEach
  void stop() throws IOException {
    if (server != null) {
      server.close();
    }
    for (Socket s : sockets) {
      s.close();
    }
  }

  /** A peer that reads each request (head and Content-Length body), then runs the script. */
  private URI peer(Script script) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    RawHttp.acceptEach(server, "raw-peer", socket -> {
      sockets.add(socket);
      int n = accepted.incrementAndGet();
      return () -> {
        try (socket) {
          requests.add(readRequest(socket.getInputStream()));
          script.answer(socket, n);
        } catch (Exception e) {
          // the client went away
        }
      };
    });
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  private static String readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("request ended early");
      }
      head.write(b);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    int length = 0;
    for (String line : text.split("\r\n")) {
      if (line.startsWith("Content-Length: ")) {
        length = Integer.parseInt(line.substring(16));
      }
    }
    return text + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
  }

  private static void write(Socket socket, String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
  }

  /**
   * Waits until the client closes the connection and records it: an end of the stream, or a
   * reset when the client closed with bytes of the answer unread.
   */
  private void awaitClose(Socket socket, int connection) throws IOException {
    socket.setSoTimeout((int) LONG.toMillis());
    try {
      if (socket.getInputStream().read() < 0) {
        closedByClient.add(connection);
      }
    } catch (java.net.SocketTimeoutException e) {
      throw e;
    } catch (SocketException e) {
      closedByClient.add(connection);
    }
  }

  private static BlockingPost post(URI peer, boolean stream) {
    return BlockingPost.protobuf(peer, "/api/v1/executor", Optional.of("Bearer t0ken"), BODY,
        stream, LONG, LONG);
  }

  // ---------------------------------------------------------------- the request

  @Test
  void aCallIsOnePostWithItsHeadersItsLengthAndConnectionClose() throws Exception {
    URI peer = peer((s, n) -> write(s, "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n"));

    BlockingPost.Answer answer = post(peer, false).call(100);

    assertThat(answer).isEqualTo(new BlockingPost.Answer(202, ""));
    assertThat(requests.poll(20, TimeUnit.SECONDS)).isEqualTo("POST /api/v1/executor HTTP/1.1\r\n"
        + "Host: 127.0.0.1:" + peer.getPort() + "\r\n"
        + "Accept: application/x-protobuf\r\n"
        + "Authorization: Bearer t0ken\r\n"
        + "Content-Type: application/x-protobuf\r\n"
        + "Content-Length: 7\r\n"
        + "Connection: close\r\n"
        + "\r\n" + new String(BODY, StandardCharsets.ISO_8859_1));
  }

  @Test
  void aStreamsRequestLeavesTheConnectionOpenAndCarriesNoTokenWithoutOne() throws Exception {
    URI peer = peer((s, n) -> write(s, "HTTP/1.1 204 No Content\r\n\r\n"));

    BlockingPost.protobuf(peer, "/api/v1/executor", Optional.empty(), new byte[0], true, LONG,
        LONG).call(100);

    assertThat(requests.poll(20, TimeUnit.SECONDS)).isEqualTo("POST /api/v1/executor HTTP/1.1\r\n"
        + "Host: 127.0.0.1:" + peer.getPort() + "\r\n"
        + "Accept: application/x-protobuf\r\n"
        + "Content-Type: application/x-protobuf\r\n"
        + "Content-Length: 0\r\n"
        + "\r\n");
  }

  // ---------------------------------------------------------------- framings

  @Test
  void aChunkedAnswerIsDecodedWithExtensionsTrailersBareLineFeedsAndInterimAnswersSkipped()
      throws Exception {
    URI peer = peer((s, n) -> write(s, "HTTP/1.1 100 Continue\r\n\r\n"
        + "HTTP/1.1 200 OK\r\ncontent-type: application/x-protobuf\r\n"
        + "Transfer-Encoding: chunked\r\nX-Twice: first\r\nX-Twice: second\r\n\r\n"
        + "5;name=value\r\nhello\r\n"
        + "1\n \n"
        + "A\r\n0123456789\r\n"
        + "0\r\nTrailer: x\r\n\r\n"));
    BlockingPost post = post(peer, true);

    ResponseHead head = post.send();

    assertThat(head.status()).isEqualTo(200);
    assertThat(head.header("Content-Type")).contains("application/x-protobuf");
    assertThat(head.header("x-twice")).contains("first, second");
    assertThat(new String(post.body().readAllBytes(), StandardCharsets.US_ASCII))
        .isEqualTo("hello 0123456789");
  }

  @Test
  void anAnswerIsFramedByItsLengthOrElseByTheEndOfTheConnection() throws Exception {
    URI peer = peer((s, n) -> {
      if (n == 1) {
        write(s, "HTTP/1.1 400 Bad Request\r\nContent-Length: 5\r\n\r\nshort and more");
        awaitClose(s, n);
      } else {
        write(s, "HTTP/1.0 503 Service Unavailable\r\n\r\nuntil the end");
      }
    });

    assertThat(post(peer, false).call(100))
        .isEqualTo(new BlockingPost.Answer(400, "short"));
    assertThat(closedByClient.poll(20, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(post(peer, false).call(100))
        .isEqualTo(new BlockingPost.Answer(503, "until the end"));
  }

  @Test
  void aBodyPastItsBoundIsCutAndItsConnectionClosed() throws Exception {
    URI peer = peer((s, n) -> {
      // One write, less than the sockets' buffers hold: done before the client can close.
      write(s, "HTTP/1.1 500 Oops\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "a\r\n0123456789\r\n".repeat(10));
      awaitClose(s, n);
    });

    assertThat(post(peer, false).call(25))
        .isEqualTo(new BlockingPost.Answer(500, "0123456789012345678901234... (cut at 25 bytes)"));
    assertThat(closedByClient.poll(20, TimeUnit.SECONDS)).isEqualTo(1);
  }

  @Test
  void aBoundOfZeroClosesTheAnswerUnread() throws Exception {
    URI peer = peer((s, n) -> {
      write(s, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000000\r\n\r\nx");
      awaitClose(s, n);
    });
    BlockingPost post = post(peer, false);
    post.send();

    assertThat(post.text(0)).isEmpty();
    assertThat(closedByClient.poll(20, TimeUnit.SECONDS)).isEqualTo(1);
  }

  // ---------------------------------------------------------------- failures

  @Test
  void aPeerThatClosesWithoutAnsweringIsAnEndOfFileAndTheWordsSaySo() throws Exception {
    URI peer = peer((s, n) -> { });

    assertThatThrownBy(() -> post(peer, false).send()).isInstanceOf(EOFException.class)
        .hasMessage("the peer closed the connection without answering");
    assertThat(PeerTrouble.unreachable(catchSend(post(peer, false)), peer))
        .isEqualTo("127.0.0.1:" + peer.getPort() + " closed the connection without answering");
  }

  @Test
  void answersThatBreakOffOrAreNoHttpFailWithWhatWasWrong() throws Exception {
    String[] answers = {
        "HTTP/1.1 200 OK\r\nContent-Type: x\r\n",
        "SSH-2.0-OpenSSH_9.2\r\n\r\n",
        "HTTP/1.1 2000 OK\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabc",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc",
        "HTTP/1.1 200 OK\r\nX-Long: " + "y".repeat(BlockingPost.MAX_HEAD_BYTES) + "\r\n\r\n",
    };
    URI peer = peer((s, n) -> write(s, answers[n - 1]));

    assertThatThrownBy(() -> post(peer, false).send()).isInstanceOf(EOFException.class)
        .hasMessage("the peer closed the connection inside the answer's head");
    assertThatThrownBy(() -> post(peer, false).send()).isInstanceOf(IOException.class)
        .hasMessage("not an HTTP/1.1 answer: 'SSH-2.0-OpenSSH_9.2'");
    assertThatThrownBy(() -> post(peer, false).send())
        .hasMessage("not an HTTP/1.1 answer: 'HTTP/1.1 2000 OK'");
    assertThatThrownBy(() -> readBody(post(peer, false)))
        .hasMessage("invalid chunk size line 'zz'");
    assertThatThrownBy(() -> readBody(post(peer, false))).isInstanceOf(EOFException.class)
        .hasMessage("the peer closed the connection inside a chunk");
    assertThatThrownBy(() -> readBody(post(peer, false)))
        .hasMessage("chunk not followed by CRLF");
    assertThatThrownBy(() -> readBody(post(peer, false))).isInstanceOf(EOFException.class)
        .hasMessage("the peer closed the connection 7 bytes before the end of the answer");
    assertThatThrownBy(() -> post(peer, false).send())
        .hasMessage("answer head longer than 65536 bytes");
  }

  @Test
  void framingsThatAreAmbiguousOrNotChunkedAreRefused() throws Exception {
    String[] answers = {
        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabcde",
        "HTTP/1.1 200 OK\r\nContent-Length: +3\r\n\r\nabc",
        "HTTP/1.1 200 OK\r\nContent-Length: 3, 4\r\n\r\nabcd",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 3, 3\r\n\r\nabcdef",
        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabcdef",
        "HTTP/1.1 200 OK\r\nContent-Length: x\r\nTransfer-Encoding: Chunked\r\n\r\n"
            + "3\r\nabc\r\n0\r\n\r\n",
        "HTTP/1.1 204 No Content\r\nContent-Length: 9\r\n\r\n",
    };
    URI peer = peer((s, n) -> write(s, answers[n - 1]));

    assertThatThrownBy(() -> post(peer, false).send())
        .hasMessage("conflicting Content-Length values '3, 5'");
    assertThatThrownBy(() -> post(peer, false).send())
        .hasMessage("invalid Content-Length '+3'");
    assertThatThrownBy(() -> post(peer, false).send())
        .hasMessage("conflicting Content-Length values '3, 4'");
    assertThatThrownBy(() -> post(peer, false).send())
        .hasMessage("unsupported Transfer-Encoding 'gzip, chunked': only chunked is read");
    assertThatThrownBy(() -> post(peer, false).send())
        .hasMessage("unsupported Transfer-Encoding 'chunked, gzip': only chunked is read");
    assertThat(readBody(post(peer, false))).isEqualTo("abc");
    assertThat(readBody(post(peer, false))).isEqualTo("abc");
    assertThat(readBody(post(peer, false))).as("chunked wins").isEqualTo("abc");
    assertThat(readBody(post(peer, false))).isEmpty();
  }

  @Test
  void aChunkedAnswersTrailersShareOneBudget() throws Exception {
    String trailer = "X-Trailer: " + "t".repeat(4000) + "\r\n"; // each well under a line's bound
    URI peer = peer((s, n) -> write(s, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "3\r\nabc\r\n0\r\n" + trailer.repeat(n == 1 ? 16 : 17) + "\r\n"));

    assertThat(readBody(post(peer, false))).isEqualTo("abc");
    assertThatThrownBy(() -> readBody(post(peer, false)))
        .hasMessage("chunked answer's trailers longer than 65536 bytes");
  }

  @Test
  void theHostHeaderIsTheHostAndPortWithoutUserInformation() throws Exception {
    URI peer = peer((s, n) -> write(s, "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n"));
    URI withUser = URI.create("http://user:secret@127.0.0.1:" + peer.getPort());

    post(withUser, false).call(100);

    assertThat(requests.poll(20, TimeUnit.SECONDS)).startsWith(
        "POST /api/v1/executor HTTP/1.1\r\nHost: 127.0.0.1:" + peer.getPort() + "\r\n");
    assertThat(BlockingPost.hostHeader(URI.create("http://[::1]:5051/api")))
        .isEqualTo("[::1]:5051");
    assertThat(BlockingPost.hostHeader(URI.create("http://agent.example/api")))
        .isEqualTo("agent.example");
  }

  @Test
  void afterAWholeAnswerTheClientWaitsForThePeerToCloseFirst() throws Exception {
    CountDownLatch answered = new CountDownLatch(1);
    BlockingQueue<String> peerSaw = new LinkedBlockingQueue<>();
    URI peer = peer((s, n) -> {
      write(s, "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n");
      answered.await();
      // The caller has its answer: a client that closed then has its end of stream here already.
      s.setSoTimeout(200);
      try {
        peerSaw.add(s.getInputStream().read() < 0 ? "the client closed first" : "bytes");
      } catch (java.net.SocketTimeoutException e) {
        peerSaw.add("the connection still open");
      }
      s.shutdownOutput(); // the peer closes: the client's end of stream
      peerSaw.add(s.getInputStream().read() < 0 ? "then the client closed" : "bytes");
    });
    ExecutorService threads = Executors.newSingleThreadExecutor();
    try {
      BlockingPost.Answer answer = post(peer, false).start(threads, 100).get(20, TimeUnit.SECONDS);
      answered.countDown();

      assertThat(answer).isEqualTo(new BlockingPost.Answer(202, ""));
      assertThat(List.of(peerSaw.poll(20, TimeUnit.SECONDS), peerSaw.poll(20, TimeUnit.SECONDS)))
          .containsExactly("the connection still open", "then the client closed");
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void aBodyThatBreaksOffGivesWhatCameOfIt() throws Exception {
    URI peer = peer((s, n) -> write(s, "HTTP/1.1 503 Busy\r\nContent-Length: 100\r\n\r\nrecovering"));

    assertThat(post(peer, false).call(1000)).isEqualTo(new BlockingPost.Answer(503, "recovering"));
  }

  @Test
  void aHeadNotCompleteWithinItsTimeoutIsARequestTimeout() throws Exception {
    URI peer = peer((s, n) -> {
      write(s, "HTTP/1.1 200 OK\r\n");
      awaitClose(s, n);
    });
    BlockingPost post = BlockingPost.protobuf(peer, "/p", Optional.empty(), BODY, false, LONG,
        Duration.ofMillis(200));

    assertThatThrownBy(post::send).isInstanceOf(HttpTimeoutException.class)
        .isNotInstanceOf(HttpConnectTimeoutException.class).hasMessage("request timed out");
    assertThat(PeerTrouble.unreachable(catchSend(BlockingPost.protobuf(peer, "/p",
        Optional.empty(), BODY, false, LONG, Duration.ofMillis(200))), peer))
        .isEqualTo("no answer from 127.0.0.1:" + peer.getPort() + " within the request timeout");
  }

  @Test
  void aRefusedConnectionIsSaidSo() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    URI nobody = URI.create("http://127.0.0.1:" + port);

    IOException e = catchSend(post(nobody, false));

    assertThat(e).isInstanceOf(ConnectException.class);
    assertThat(PeerTrouble.unreachable(e, nobody))
        .isEqualTo("connection refused by 127.0.0.1:" + port);
  }

  // ---------------------------------------------------------------- aborts

  @Test
  void anAbortEndsAReadBlockedOnASilentChunkedStream() throws Exception {
    URI peer = peer((s, n) -> {
      write(s, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");
      awaitClose(s, n);
    });
    BlockingPost post = post(peer, true);
    post.send();
    InputStream body = post.body();
    byte[] buffer = new byte[100];
    assertThat(body.read(buffer)).isEqualTo(3);
    CountDownLatch reading = new CountDownLatch(1);
    CompletableFuture<Object> read = CompletableFuture.supplyAsync(() -> {
      reading.countDown();
      try {
        return body.read(buffer);
      } catch (IOException e) {
        return e;
      }
    });
    reading.await();
    assertThatThrownBy(() -> read.get(200, TimeUnit.MILLISECONDS))
        .as("the read blocks while the peer is silent").isInstanceOf(TimeoutException.class);

    post.abort();

    assertThat(read.get(20, TimeUnit.SECONDS)).isInstanceOf(SocketException.class);
    assertThat(post.aborted()).isTrue();
    assertThat(closedByClient.poll(20, TimeUnit.SECONDS)).isEqualTo(1);
  }

  @Test
  void anAbortEndsASendWaitingForTheHead() throws Exception {
    URI peer = peer((s, n) -> awaitClose(s, n));
    BlockingPost post = post(peer, false);
    CompletableFuture<Object> sent = CompletableFuture.supplyAsync(() -> catchSend(post));
    requests.poll(20, TimeUnit.SECONDS); // the request arrived: send() waits for the head

    post.abort();

    assertThat(sent.get(20, TimeUnit.SECONDS)).isInstanceOf(IOException.class)
        .hasFieldOrPropertyWithValue("message", "aborted");
    assertThat(closedByClient.poll(20, TimeUnit.SECONDS)).isEqualTo(1);
  }

  @Test
  void aPostAbortedBeforeItsThreadRanIsNeverSent() throws Exception {
    URI peer = peer((s, n) -> write(s, "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n"));
    BlockingQueue<Runnable> queued = new LinkedBlockingQueue<>();
    Executor later = queued::add;
    BlockingPost post = post(peer, false);
    CompletableFuture<BlockingPost.Answer> answer = post.start(later, 100);
    IOException why = new IOException("too late");

    assertThat(post.abort(why)).isTrue();
    queued.take().run();

    assertThatThrownBy(answer::get).isInstanceOf(ExecutionException.class).cause().isSameAs(why);
    // A request sent would reach the peer's accept thread within this wait.
    assertThat(requests.poll(200, TimeUnit.MILLISECONDS)).isNull();
    assertThat(accepted.get()).isZero();
    assertThat(post.abort(why)).as("failed once only").isFalse();
  }

  @Test
  void callsOnConnectionsThePeerKeepsAliveAndThenClosesGoThroughEachOnItsOwn() throws Exception {
    // A peer that would keep each connection alive, and closes it a while after its answer: the
    // client reads the answer by its length and closes the connection itself; the next call does
    // not reuse it.
    URI peer = peer((s, n) -> {
      write(s, "HTTP/1.1 202 Accepted\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok");
      awaitClose(s, n);
    });

    BlockingPost.Answer first = post(peer, false).call(100);
    BlockingPost.Answer second = post(peer, false).call(100);

    assertThat(List.of(first, second)).containsOnly(new BlockingPost.Answer(202, "ok"));
    assertThat(List.of(closedByClient.poll(20, TimeUnit.SECONDS),
        closedByClient.poll(20, TimeUnit.SECONDS))).containsExactlyInAnyOrder(1, 2);
    assertThat(accepted.get()).isEqualTo(2);
  }

  private static String readBody(BlockingPost post) throws IOException {
    post.send();
    return new String(post.body().readAllBytes(), StandardCharsets.ISO_8859_1);
  }

  private static IOException catchSend(BlockingPost post) {
    try {
      post.send();
      throw new AssertionError("send() succeeded");
    } catch (IOException e) {
      return e;
    }
  }

  @Test
  void aHeaderWithALineBreakIsRefused() {
    assertThatThrownBy(() -> new BlockingPost(URI.create("http://127.0.0.1:1/p"),
        Map.of("Authorization", "Bearer x\r\nX-Evil: 1"), BODY, false, LONG, LONG))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("header Authorization must not contain a line break");
  }

  @Test
  void headersAreLookedUpInAnyCaseAndKeepTheirFirstValue() {
    ResponseHead head = new ResponseHead(200, Map.of("content-TYPE", "a"));

    assertThat(head.header("Content-Type")).contains("a");
    assertThat(head.header("Location")).isEmpty();
  }
}
