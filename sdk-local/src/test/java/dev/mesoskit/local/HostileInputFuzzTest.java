package dev.mesoskit.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded fuzzing of LocalCluster by class of hostile input, each bounded in count and time and
 * on loopback only: mutated scheduler calls, hostile task and executor ids, and mutated executor
 * calls. Every answer is a status Mesos would give (never a 500), every task of an ACCEPT gets
 * exactly one first answer under its own id, nothing is written outside the cluster's work
 * directory, and once the frameworks are gone every resource is back in the pool. (Floods of
 * subscriptions are {@link SubscriptionStreamsTest}; misbehaving masters are sdk-core's
 * {@code MisbehavingMasterTest}.)
 */
@Timeout(240)
class HostileInputFuzzTest {
  private static final long SEED = 20261207L;
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).build();
  /** Characters that break parsers, paths and encodings. */
  private static final String[] HOSTILE = {"/", "\\", ".", "..", "\u0000", "\t", "\n", "\u007f",
      "\u0085", "\u00e9", "\ud83d\ude00", "\"", "'", "{", "}", "[", "]", ":", ",", " ", "%2e",
      "\ufffd", "\u202e", "-", "~", "$HOME", "`id`", "*"};

  /** Content types a client may send by mistake or on purpose. */
  private static final String[] CONTENT_TYPES = {"text/plain", "application/jsonx",
      "application/json; charset=utf-8", "*/*", "application/x-protobuf ", "APPLICATION/JSON",
      "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "-"};

  @TempDir
  Path dir;

  private LocalCluster cluster() {
    return LocalCluster.builder().agents(2).workDir(dir.resolve("cluster"))
        .agentResources("cpus:4;mem:4096;disk:1000;ports:[31000-31099]")
        .allocationInterval(Duration.ofMillis(20))
        .executorRegistrationTimeout(Duration.ofSeconds(1))
        .executorShutdownGracePeriod(Duration.ofMillis(200))
        .start();
  }

  /** An answer: the status and at most 64 KiB of the body; a 200 stream is closed unread. */
  private record Answer(int status, String body) {}

  private static Answer post(URI uri, String contentType, Map<String, String> headers,
      byte[] body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(WAIT)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    headers.forEach(b::header);
    HttpResponse<InputStream> r = HTTP.sendAsync(b.build(),
        HttpResponse.BodyHandlers.ofInputStream()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    try (InputStream in = r.body()) {
      if (r.statusCode() == 200) {
        return new Answer(200, "");
      }
      return new Answer(r.statusCode(),
          new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8));
    }
  }

  // ================================================================ mutations

  private static byte[] mutateBytes(byte[] in, Random random) {
    List<Byte> bytes = new ArrayList<>();
    for (byte b : in) {
      bytes.add(b);
    }
    int edits = 1 + random.nextInt(4);
    for (int e = 0; e < edits && !bytes.isEmpty(); e++) {
      int at = random.nextInt(bytes.size());
      switch (random.nextInt(4)) {
        case 0 -> bytes.set(at, (byte) (bytes.get(at) ^ (1 << random.nextInt(8))));
        case 1 -> bytes.add(at, (byte) random.nextInt(256));
        case 2 -> bytes.remove(at);
        default -> bytes.subList(at, bytes.size()).clear();
      }
    }
    byte[] out = new byte[bytes.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = bytes.get(i);
    }
    return out;
  }

  private static String mutateText(String in, Random random) {
    StringBuilder s = new StringBuilder(in);
    int edits = 1 + random.nextInt(3);
    for (int e = 0; e < edits && s.length() > 0; e++) {
      int at = random.nextInt(s.length());
      switch (random.nextInt(4)) {
        case 0 -> s.insert(at, HOSTILE[random.nextInt(HOSTILE.length)]);
        case 1 -> s.deleteCharAt(at);
        case 2 -> s.insert(at, "\\u" + String.format(java.util.Locale.ROOT, "%04x",
            random.nextInt(0x10000)));
        default -> s.setLength(at);
      }
    }
    return s.toString();
  }

  /** A token with one character changed or cut short; printable ASCII, as headers must be. */
  private static String mutateToken(String token, Random random) {
    int at = random.nextInt(token.length());
    if (random.nextBoolean()) {
      return token.substring(0, at);
    }
    char c = (char) ('!' + random.nextInt(94));
    return token.substring(0, at) + c + token.substring(at + 1);
  }

  private static String hostileId(Random random) {
    switch (random.nextInt(6)) {
      case 0:
        return "../".repeat(1 + random.nextInt(8)) + "x" + random.nextInt(1000);
      case 1:
        return random.nextBoolean() ? "." : "..";
      case 2:
        return "/tmp/escape-" + random.nextInt(1000);
      case 3:
        return "\u00e9".repeat(100 + random.nextInt(60));
      default:
        StringBuilder id = new StringBuilder();
        int parts = 1 + random.nextInt(5);
        for (int i = 0; i < parts; i++) {
          id.append(random.nextInt(3) == 0 ? HOSTILE[random.nextInt(HOSTILE.length)]
              : Integer.toString(random.nextInt(100), 36));
        }
        return id.toString();
    }
  }

  /** The rule Mesos' validateID applies, written independently of {@link MasterValidation}. */
  private static String oracle(String id) {
    if (id.isEmpty()) {
      return "ID must not be empty";
    }
    if (id.getBytes(StandardCharsets.UTF_8).length > 255) {
      return "ID must not be greater than 255 characters";
    }
    if (id.equals(".") || id.equals("..")) {
      return "'" + id + "' is disallowed";
    }
    if (id.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '/' || c == '\\')) {
      return "contains invalid characters";
    }
    return null;
  }

  private static Protos.Resource scalar(String name, double value) {
    return Protos.Resource.newBuilder().setName(name).setType(Protos.Value.Type.SCALAR)
        .setScalar(Protos.Value.Scalar.newBuilder().setValue(value)).build();
  }

  private static Call subscribeCall(String name) {
    return Call.newBuilder().setType(Call.Type.SUBSCRIBE)
        .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(Protos.FrameworkInfo
            .newBuilder().setUser("u").setName(name).setFailoverTimeout(0)
            .addCapabilities(Protos.FrameworkInfo.Capability.newBuilder()
                .setType(Protos.FrameworkInfo.Capability.Type.PARTITION_AWARE)))).build();
  }

  private static Call.Builder call(String fw, Call.Type type) {
    return Call.newBuilder().setType(type)
        .setFrameworkId(Protos.FrameworkID.newBuilder().setValue(fw));
  }

  private static JsonObject state(LocalCluster cluster) {
    return JsonParser.parseString(cluster.stateJson()).getAsJsonObject();
  }

  /** Waits until no framework is left and every agent's resources are free again. */
  private static void awaitEverythingReturned(LocalCluster cluster) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      JsonObject state = state(cluster);
      boolean free = state.getAsJsonArray("frameworks").isEmpty();
      for (JsonElement agent : state.getAsJsonArray("slaves")) {
        JsonObject used = agent.getAsJsonObject().getAsJsonObject("used_resources");
        free &= used.get("cpus").getAsDouble() == 0 && used.get("mem").getAsDouble() == 0;
      }
      if (free) {
        return;
      }
      assertThat(System.nanoTime()).as("resources back within %s: %s", WAIT, state)
          .isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  /**
   * Keeps the offers and the updates an event carries; true for every event, to chain a match
   * after it.
   */
  private static boolean record(Event e, java.util.Deque<Protos.Offer> offers,
      Map<String, List<Protos.TaskStatus>> updates) {
    if (e.getType() == Event.Type.OFFERS) {
      offers.addAll(e.getOffers().getOffersList());
    } else if (e.getType() == Event.Type.UPDATE) {
      Protos.TaskStatus status = e.getUpdate().getStatus();
      updates.computeIfAbsent(status.getTaskId().getValue(), x -> new ArrayList<>()).add(status);
    }
    return true;
  }

  private static double scalarOf(Protos.Offer offer, String name) {
    return offer.getResourcesList().stream().filter(r -> r.getName().equals(name))
        .mapToDouble(r -> r.getScalar().getValue()).sum();
  }

  /** Nothing outside the cluster's work directory. */
  private void assertNothingEscaped() throws Exception {
    try (Stream<Path> top = Files.list(dir)) {
      assertThat(top.map(p -> p.getFileName().toString()).toList()).containsExactly("cluster");
    }
  }

  // ================================================================ the fuzzers

  @Test
  void mutatedSchedulerCallsAreAnsweredAsMesosWouldAndLeaveNothingBehind() throws Exception {
    Random random = new Random(SEED);
    Set<Integer> statuses = Set.of(200, 202, 400, 403, 406, 415);
    Map<Integer, Integer> seen = new TreeMap<>();
    List<RawScheduler> frameworks = new ArrayList<>();
    try (LocalCluster cluster = cluster()) {
      URI api = cluster.masterUri().resolve("/api/v1/scheduler");
      RawScheduler f = null;
      String fw = null;
      for (int i = 0; i < 1500; i++) {
        if (f == null || f.ended.isDone()) {
          f = new RawScheduler(cluster.masterUri(), false).subscribe(subscribeCall("fuzz-" + i));
          frameworks.add(f);
          fw = f.next(Event.Type.SUBSCRIBED, WAIT).getSubscribed().getFrameworkId().getValue();
        }
        Protos.OfferID offer = Protos.OfferID.newBuilder().setValue("no-such-offer").build();
        for (Event e : f.drain()) {
          if (e.getType() == Event.Type.OFFERS && e.getOffers().getOffersCount() > 0) {
            offer = e.getOffers().getOffers(0).getId();
          }
        }
        Call base = switch (random.nextInt(8)) {
          case 0, 1 -> call(fw, Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder()
              .addOfferIds(offer)
              .addOperations(Protos.Offer.Operation.newBuilder()
                  .setType(Protos.Offer.Operation.Type.LAUNCH)
                  .setLaunch(Protos.Offer.Operation.Launch.newBuilder().addTaskInfos(
                      Protos.TaskInfo.newBuilder().setName("t")
                          .setTaskId(Protos.TaskID.newBuilder().setValue("t" + i))
                          .setAgentId(Protos.AgentID.newBuilder().setValue("agent-1"))
                          .addResources(scalar("cpus", 0.01)).addResources(scalar("mem", 1))
                          .setCommand(Protos.CommandInfo.newBuilder().setValue("true")))))
              .setFilters(Protos.Filters.newBuilder().setRefuseSeconds(0))).build();
          case 2 -> call(fw, Call.Type.DECLINE).setDecline(Call.Decline.newBuilder()
              .addOfferIds(offer)).build();
          case 3 -> call(fw, Call.Type.KILL).setKill(Call.Kill.newBuilder()
              .setTaskId(Protos.TaskID.newBuilder().setValue("t" + random.nextInt(i + 1))))
              .build();
          case 4 -> call(fw, Call.Type.RECONCILE).setReconcile(Call.Reconcile.newBuilder())
              .build();
          case 5 -> call(fw, Call.Type.ACKNOWLEDGE).setAcknowledge(Call.Acknowledge.newBuilder()
              .setAgentId(Protos.AgentID.newBuilder().setValue("agent-1"))
              .setTaskId(Protos.TaskID.newBuilder().setValue("t" + random.nextInt(i + 1)))
              .setUuid(ByteString.copyFrom(new byte[16]))).build();
          case 6 -> call(fw, Call.Type.MESSAGE).setMessage(Call.Message.newBuilder()
              .setAgentId(Protos.AgentID.newBuilder().setValue("agent-2"))
              .setExecutorId(Protos.ExecutorID.newBuilder().setValue("e"))
              .setData(ByteString.copyFromUtf8("hi"))).build();
          default -> call(fw, Call.Type.REVIVE).build();
        };
        boolean json = random.nextBoolean();
        byte[] body = json ? JsonFormat.printer().print(base).getBytes(StandardCharsets.UTF_8)
            : base.toByteArray();
        if (random.nextInt(5) != 0) {
          body = json ? mutateText(new String(body, StandardCharsets.UTF_8), random)
              .getBytes(StandardCharsets.UTF_8) : mutateBytes(body, random);
        }
        String type = random.nextInt(10) != 0 ? (json ? "application/json"
            : "application/x-protobuf") : CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)];
        Map<String, String> headers = new HashMap<>();
        if (random.nextInt(10) != 0) {
          headers.put("Mesos-Stream-Id", f.streamId);
        }
        Answer answer = post(api, type, headers, body);
        seen.merge(answer.status(), 1, Integer::sum);
        assertThat(answer.status()).as("call %d (%s) answered %s", i, base.getType(), answer)
            .isIn(statuses);
      }
      System.out.println("statuses of 1500 mutated calls: " + seen);
      assertThat(RawScheduler.get(cluster.masterUri().resolve("/health"))).isEqualTo("200");
      for (RawScheduler s : frameworks) {
        s.close();
      }
      awaitEverythingReturned(cluster);
      assertThat(seen.keySet()).as("the fuzzer reached both valid and refused calls")
          .contains(202, 400);
    }
    assertNothingEscaped();
  }

  @Test
  void hostileIdsGetExactlyOneAnswerUnderTheirOwnIdAndNoneEscapesTheSandbox() throws Exception {
    Random random = new Random(SEED + 1);
    try (LocalCluster cluster = cluster();
        RawScheduler f = new RawScheduler(cluster.masterUri(), false)
            .subscribe(subscribeCall("fuzz-ids"))) {
      String fw = f.next(Event.Type.SUBSCRIBED, WAIT).getSubscribed().getFrameworkId()
          .getValue();
      java.util.ArrayDeque<Protos.Offer> offers = new java.util.ArrayDeque<>();
      Map<String, String> expectedError = new LinkedHashMap<>();
      Map<String, List<Protos.TaskStatus>> updates = new HashMap<>();
      Set<String> used = new java.util.HashSet<>();
      Map<String, Integer> submitted = new HashMap<>();
      for (int round = 0; round < 40; round++) {
        while (offers.isEmpty()) {
          f.next(e -> record(e, offers, updates) && e.getType() == Event.Type.OFFERS, WAIT);
        }
        Protos.Offer offer = offers.poll();
        if (scalarOf(offer, "cpus") < 0.05 || scalarOf(offer, "mem") < 5) {
          // Too small for four tasks: the outcome would turn on resources, not on ids.
          assertThat(f.call(call(fw, Call.Type.DECLINE).setDecline(Call.Decline.newBuilder()
              .addOfferIds(offer.getId())
              .setFilters(Protos.Filters.newBuilder().setRefuseSeconds(0))).build()))
              .isEqualTo("202");
          round--;
          continue;
        }
        Protos.Offer.Operation.Launch.Builder launch = Protos.Offer.Operation.Launch.newBuilder();
        List<String> ids = new ArrayList<>();
        int count = 1 + random.nextInt(4);
        for (int k = 0; k < count; k++) {
          String taskId = random.nextBoolean() ? hostileId(random) : "ok-" + round + "-" + k;
          String executorId = random.nextInt(3) == 0 ? hostileId(random) : null;
          if (oracle(taskId) == null && !used.add(taskId)) {
            taskId = taskId + "-" + round + "-" + k; // one answer per id: valid ids are unique
            used.add(taskId);
          }
          if (ids.contains(taskId)) {
            continue;
          }
          Protos.TaskInfo.Builder task = Protos.TaskInfo.newBuilder().setName("t")
              .setTaskId(Protos.TaskID.newBuilder().setValue(taskId))
              .setAgentId(offer.getAgentId())
              .addResources(scalar("cpus", 0.01)).addResources(scalar("mem", 1));
          String problem = oracle(taskId);
          if (executorId != null) {
            task.setExecutor(Protos.ExecutorInfo.newBuilder()
                .setExecutorId(Protos.ExecutorID.newBuilder().setValue(executorId))
                .setCommand(Protos.CommandInfo.newBuilder().setValue("exit 0")));
            if (problem == null) {
              problem = oracle(executorId);
            }
          } else {
            task.setCommand(Protos.CommandInfo.newBuilder().setValue("true"));
          }
          ids.add(taskId);
          submitted.merge(taskId, 1, Integer::sum);
          if (problem != null) {
            expectedError.put(taskId, problem);
          }
          launch.addTaskInfos(task);
        }
        assertThat(f.call(call(fw, Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder()
            .addOfferIds(offer.getId())
            .setFilters(Protos.Filters.newBuilder().setRefuseSeconds(0))
            .addOperations(Protos.Offer.Operation.newBuilder()
                .setType(Protos.Offer.Operation.Type.LAUNCH).setLaunch(launch))).build()))
            .isEqualTo("202");
        // Every task of the ACCEPT answers, under its own id; the invalid ones with the rule.
        for (String id : ids) {
          while (updates.getOrDefault(id, List.of()).size() < submitted.get(id)
              && expectedError.containsKey(id) || !updates.containsKey(id)) {
            f.next(e -> record(e, offers, updates) && e.getType() == Event.Type.UPDATE, WAIT);
          }
          List<Protos.TaskStatus> answers = updates.get(id);
          Protos.TaskStatus first = expectedError.containsKey(id)
              ? answers.get(answers.size() - 1) : answers.get(0);
          if (expectedError.containsKey(id)) {
            assertThat(first.getState()).as(id).isEqualTo(Protos.TaskState.TASK_ERROR);
            assertThat(first.getMessage()).as(id).contains(expectedError.get(id));
          } else {
            assertThat(first.getState()).as("%s: %s", id, first.getMessage())
                .isIn(Protos.TaskState.TASK_STARTING, Protos.TaskState.TASK_RUNNING,
                    Protos.TaskState.TASK_FAILED, Protos.TaskState.TASK_FINISHED);
          }
        }
      }
      // Any later update is about a task of the ACCEPTs, and an invalid task never gets a second.
      for (Event e : f.drainFor(Duration.ofSeconds(2))) {
        record(e, offers, updates);
      }
      assertThat(updates.keySet()).as("updates only under ids of the ACCEPTs")
          .isSubsetOf(submitted.keySet());
      for (String id : expectedError.keySet()) {
        assertThat(updates.get(id)).as("invalid task %s answered once per submission", id)
            .hasSize(submitted.get(id));
      }
      assertThat(expectedError).as("the seed reaches invalid ids").hasSizeGreaterThan(10);
      assertThat(updates.size() - expectedError.size()).as("and valid ones")
          .isGreaterThan(10);
      assertThat(f.call(call(fw, Call.Type.TEARDOWN).build())).isEqualTo("202");
      awaitEverythingReturned(cluster);
    }
    assertNothingEscaped();
  }

  @Test
  void mutatedExecutorCallsAreAnsweredAsMesosWouldAndOnlyTheExecutorsOwnTaskIsHeard()
      throws Exception {
    Random random = new Random(SEED + 2);
    Path work = Files.createDirectories(dir.resolve("cluster"));
    RecordingAgentListener master = new RecordingAgentListener();
    Set<Integer> statuses = Set.of(200, 202, 400, 401, 403, 406, 415);
    Map<Integer, Integer> seen = new TreeMap<>();
    try (LocalAgent agent = LocalAgent.start(TestAgents.config(work), master,
        java.time.Clock.systemUTC(), Duration.ofSeconds(30))) {
      agent.launch(TestAgents.framework(), TestAgents.executorTask("t1",
          TestAgents.sleepingExecutor("e1")));
      TestAgents.awaitStarted(work, "e1");
      try (ExecutorClient e1 = new ExecutorClient(agent, TestAgents.FRAMEWORK_ID,
          TestAgents.executorId("e1"))) {
        assertThat(e1.subscribe(org.apache.mesos.v1.executor.Protos.Call.Subscribe
            .getDefaultInstance())).isEqualTo(200);
        URI api = agent.endpoint().resolve("/api/v1/executor");
        String token = agent.executorToken(TestAgents.FRAMEWORK_ID, TestAgents.executorId("e1"));
        for (int i = 0; i < 800; i++) {
          org.apache.mesos.v1.executor.Protos.Call base = switch (random.nextInt(3)) {
            case 0 -> e1.update(TestAgents.taskId(random.nextBoolean() ? "t1" : "t" + i),
                Protos.TaskState.values()[random.nextInt(Protos.TaskState.values().length)]);
            case 1 -> e1.message(ByteString.copyFromUtf8("m" + i));
            default -> e1.call(org.apache.mesos.v1.executor.Protos.Call.Type.HEARTBEAT).build();
          };
          boolean json = random.nextBoolean();
          byte[] body = json ? JsonFormat.printer().print(base).getBytes(StandardCharsets.UTF_8)
              : base.toByteArray();
          if (random.nextInt(5) != 0) {
            body = json ? mutateText(new String(body, StandardCharsets.UTF_8), random)
                .getBytes(StandardCharsets.UTF_8) : mutateBytes(body, random);
          }
          Map<String, String> headers = new HashMap<>();
          int auth = random.nextInt(20);
          headers.put("Authorization", auth == 0 ? "Bearer " + mutateToken(token, random)
              : auth == 1 ? "Basic " + UUID.randomUUID() : "Bearer " + token);
          Answer answer = post(api, json ? "application/json" : "application/x-protobuf",
              headers, body);
          seen.merge(answer.status(), 1, Integer::sum);
          assertThat(answer.status()).as("call %d (%s) answered %s", i, base.getType(), answer)
              .isIn(statuses);
        }
      }
      System.out.println("statuses of 800 mutated executor calls: " + seen);
      assertThat(seen.keySet()).contains(202, 400, 401);
      // Only e1's own task reached the master, whatever the fuzzer sent.
      assertThat(master.updates).allMatch(u -> u.status().getTaskId().getValue().equals("t1"));
    }
  }
}
