package dev.mesoskit.core.http;

import static dev.mesoskit.core.http.CallExchange.rootCause;

import dev.mesoskit.core.MesosKitException;
import dev.mesoskit.core.spi.ClientThreads;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls of an {@link HttpExecutorBackend} to its agent: the requests (SUBSCRIBE's too), the
 * one sender thread that sends UPDATE and MESSAGE in order, and the blocking send of one call on
 * the call threads, whose answer is cut past twice the request timeout. Without an
 * {@link HttpClient} every request is a {@link BlockingPost}; with one, a request of that client.
 *
 * <p>Threading: every method is safe from any thread; logs as {@link HttpExecutorBackend}.
 */
final class AgentCalls {
  private static final Logger log = LoggerFactory.getLogger(HttpExecutorBackend.class);
  private static final String PATH = "/api/v1/executor";

  private final URI agent;
  private final String frameworkId;
  private final String executorId;
  private final Optional<String> authorization;
  private final Duration requestTimeout;
  /** The JDK client of every request, or null for {@link BlockingPost}s. */
  private final HttpClient client;
  private final ExecutorService sender;
  private final ExecutorService callThreads =
      ClientThreads.bounded("mesoskit-executor-call", 2, Duration.ofSeconds(30));

  /**
   * The calls to {@code agent}.
   *
   * @param client the JDK client of every request, or null to send {@link BlockingPost}s
   */
  AgentCalls(URI agent, String frameworkId, String executorId,
      Optional<String> authorization, Duration requestTimeout, HttpClient client) {
    this.agent = agent;
    this.frameworkId = frameworkId;
    this.executorId = executorId;
    this.authorization = authorization;
    this.requestTimeout = requestTimeout;
    this.client = client;
    this.sender =
        Executors.newSingleThreadExecutor(CallExchange.daemon("mesoskit-executor-calls"));
  }

  /** A protobuf POST of a call, encoded by {@link WireExecutorCalls}, to the executor API. */
  HttpRequest.Builder request(byte[] call) {
    return CallExchange.request(agent, PATH, authorization, call);
  }

  /**
   * A protobuf POST of a call to the executor API over a socket of its own, its answer's head due
   * within the request timeout.
   *
   * @param stream whether the answer is the event stream, which stays open
   */
  BlockingPost post(byte[] call, boolean stream) {
    return BlockingPost.protobuf(agent, PATH, authorization, call, stream, requestTimeout,
        requestTimeout);
  }

  /** Whether the calls go over the JDK's {@code java.net.http} client. */
  boolean overHttpClient() {
    return client != null;
  }

  /**
   * SUBSCRIBE of this executor of this framework.
   *
   * @param tasks the unacknowledged tasks' {@code TaskInfo}s as they came
   * @param updates the unacknowledged updates' {@code TaskStatus}es
   */
  byte[] subscribeCall(List<byte[]> tasks, List<byte[]> updates) {
    return WireExecutorCalls.subscribe(frameworkId, executorId, tasks, updates);
  }

  /** UPDATE of this executor of this framework, of a {@code TaskStatus}'s bytes. */
  byte[] updateCall(byte[] status) {
    return WireExecutorCalls.update(frameworkId, executorId, status);
  }

  /** An answer's body for a log line or a message: stripped, at most 500 characters. */
  static String abbreviate(String body) {
    String b = body == null ? "" : body.strip();
    return b.length() > 500 ? b.substring(0, 500) + "..." : b;
  }

  /**
   * Queues {@code task} on the sender thread, which runs tasks one at a time in order.
   *
   * @throws RejectedExecutionException once closed
   */
  void queue(Runnable task) {
    sender.execute(task);
  }

  /** Queues a MESSAGE to the executor's scheduler; a failure is logged. */
  void message(byte[] data) {
    byte[] call = WireExecutorCalls.message(frameworkId, executorId, data);
    try {
      sender.execute(() -> {
        try {
          BlockingPost.Answer r = send("MESSAGE", call);
          if (r.status() != 202) {
            log.warn("message refused agent={} status={} body={}", agent, r.status(),
                abbreviate(r.body()));
          }
        } catch (MesosKitException e) {
          log.warn("message not sent agent={} cause={}", agent, e.getMessage());
        }
      });
    } catch (RejectedExecutionException e) {
      log.debug("message not sent, backend closed bytes={}", data.length);
    }
  }

  /**
   * Sends a call and waits at most twice the request timeout for the answer, whose body is read
   * up to {@link BoundedText#ERROR_BODY_BYTES}; an answer not complete by then is cancelled.
   */
  BlockingPost.Answer send(String type, byte[] call) {
    try {
      if (client != null) {
        CallExchange exchange = CallExchange.start(client,
            request(call).timeout(requestTimeout).build(), callThreads);
        HttpResponse<String> r = await(type, exchange.response(), exchange);
        return new BlockingPost.Answer(r.statusCode(), r.body());
      }
      BlockingPost post = post(call, false);
      return await(type, post.start(callThreads, BoundedText.ERROR_BODY_BYTES), post);
    } catch (RejectedExecutionException e) {
      throw new MesosKitException(type + " to agent " + agent + " not sent: the"
          + " executor backend is closed", e);
    }
  }

  /** Waits for a call's answer; one not complete within twice the request timeout is aborted. */
  private <T> T await(String type, Future<T> answer, Abortable call) {
    try {
      return answer.get(requestTimeout.toMillis() * 2, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new MesosKitException("cannot send " + type + " to agent " + agent + ": "
          + rootCause(e), e.getCause());
    } catch (TimeoutException e) {
      call.abort(e); // a slow body would hold the call thread and the connection
      throw new MesosKitException(type + " to agent " + agent + " timed out after "
          + requestTimeout.toMillis() * 2 + " ms", e);
    } catch (InterruptedException e) {
      call.abort(e);
      Thread.currentThread().interrupt();
      throw new MesosKitException(type + " to agent " + agent + " interrupted", e);
    }
  }

  /**
   * Stops the sender thread, waiting at most the request timeout for what it has queued, then the
   * call threads.
   */
  void close() {
    sender.shutdown();
    try {
      if (!sender.awaitTermination(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        sender.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      sender.shutdownNow();
    }
    callThreads.shutdownNow();
  }
}
