package dev.mesoskit.benchmarks;

import com.google.protobuf.ByteString;
import dev.mesoskit.core.Framework;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.http.EventDelivery;
import dev.mesoskit.core.http.RecordIoDecoder;
import dev.mesoskit.core.spi.FrameworkIdStore;
import dev.mesoskit.core.spi.FrameworkInfo;
import dev.mesoskit.core.spi.ReconcileTask;
import dev.mesoskit.core.spi.SchedulerBackend;
import dev.mesoskit.core.spi.SchedulerEvents;
import dev.mesoskit.core.spi.TaskLaunch;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Scheduler events per second through the HTTP backend's decode path (RecordIO framing in 16 KiB
 * chunks, events decoded from the wire format into MesosKit values; and, for comparison, parsed
 * by protobuf and then converted, as the backend used to read them) and the framework's event loop (offers
 * declined, RUNNING updates with progress messages applied to known tasks and acknowledged),
 * against the ceiling: plain {@code Event.parseDelimitedFrom} of the same messages from memory.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar EventThroughput -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
public class EventThroughputBenchmark {
  static final int EVENTS = 20_000;
  static final int TASKS = 1_000;
  static final int CHUNK = 16 * 1024;

  private byte[] recordIo;
  private byte[] delimited;
  private Framework framework;
  private CountingBackend backend;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    ByteArrayOutputStream rio = new ByteArrayOutputStream();
    ByteArrayOutputStream del = new ByteArrayOutputStream();
    for (int i = 0; i < EVENTS; i++) {
      Event e = i % 2 == 0 ? offers(i) : update(i);
      rio.write(RecordIoDecoder.encode(e.toByteArray()));
      e.writeDelimitedTo(del);
    }
    recordIo = rio.toByteArray();
    delimited = del.toByteArray();

    backend = new CountingBackend();
    framework = Framework.builder().name("bench").backend(backend)
        .frameworkIdStore(FrameworkIdStore.inMemory()).build();
    framework.start();
    for (int t = 0; t < TASKS; t++) {
      framework.submit(TaskSpec.builder().id("t" + t).name("t" + t).resources("cpus:0.01;mem:1")
          .command("true").build());
    }
    backend.events.subscribed("fw-bench", Duration.ofSeconds(15));
    backend.events.offers(List.of(dev.mesoskit.core.Offer.of("big", "agent-0", "host-0",
        dev.mesoskit.core.Resources.parse("cpus:100;mem:100000"))));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (backend.launched.get() < TASKS) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("setup did not launch the tasks: " + backend.launched);
      }
      Thread.sleep(1);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    framework.close();
  }

  private static Event offers(int i) {
    Protos.Offer offer = Protos.Offer.newBuilder()
        .setId(Protos.OfferID.newBuilder().setValue("offer-" + i))
        .setFrameworkId(Protos.FrameworkID.newBuilder().setValue("fw-bench"))
        .setAgentId(Protos.AgentID.newBuilder().setValue("agent-" + (i % 50)))
        .setHostname("host-" + (i % 50))
        .addResources(scalar("cpus", 8))
        .addResources(scalar("mem", 16384))
        .addResources(scalar("disk", 100000))
        .addResources(Protos.Resource.newBuilder().setName("ports")
            .setType(Protos.Value.Type.RANGES)
            .setRanges(Protos.Value.Ranges.newBuilder().addRange(
                Protos.Value.Range.newBuilder().setBegin(31000).setEnd(32000))))
        .addAttributes(Protos.Attribute.newBuilder().setName("rack")
            .setType(Protos.Value.Type.TEXT)
            .setText(Protos.Value.Text.newBuilder().setValue("r" + (i % 5))))
        .build();
    return Event.newBuilder().setType(Event.Type.OFFERS)
        .setOffers(Event.Offers.newBuilder().addOffers(offer)).build();
  }

  private static Protos.Resource scalar(String name, double v) {
    return Protos.Resource.newBuilder().setName(name).setType(Protos.Value.Type.SCALAR)
        .setScalar(Protos.Value.Scalar.newBuilder().setValue(v)).build();
  }

  private static Event update(int i) {
    byte[] uuid = new byte[16];
    uuid[0] = (byte) i;
    uuid[1] = (byte) (i >> 8);
    return Event.newBuilder().setType(Event.Type.UPDATE)
        .setUpdate(Event.Update.newBuilder().setStatus(Protos.TaskStatus.newBuilder()
            .setTaskId(Protos.TaskID.newBuilder().setValue("t" + (i % TASKS) + ".1"))
            .setAgentId(Protos.AgentID.newBuilder().setValue("agent-0"))
            .setState(Protos.TaskState.TASK_RUNNING)
            .setMessage("progress " + i)
            .setSource(Protos.TaskStatus.Source.SOURCE_EXECUTOR)
            .setUuid(ByteString.copyFrom(uuid))
            .setTimestamp(1.7e9)))
        .build();
  }

  /** The ceiling: parse the same events from memory and do nothing with them. */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public int parseDelimitedFromCeiling() throws IOException {
    ByteArrayInputStream in = new ByteArrayInputStream(delimited);
    int n = 0;
    while (Event.parseDelimitedFrom(in) != null) {
      n++;
    }
    if (n != EVENTS) {
      throw new IllegalStateException("parsed " + n);
    }
    return n;
  }

  /**
   * RecordIO decode, events decoded straight into MesosKit values (as the HTTP backend's
   * SchedulerAttempt reads a record), and the framework's event loop to the backend calls.
   */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long recordIoDecodeAndEventLoop() {
    return run(true);
  }

  /**
   * The same with each event parsed into the generated message and then converted, as the
   * backend read every event before it decoded them from the wire format.
   */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long recordIoParseAndEventLoop() {
    return run(false);
  }

  long run(boolean decode) {
    long target = backend.answered.get() + EVENTS;
    backend.await(target, Thread.currentThread());
    SchedulerEvents sink = backend.events;
    RecordIoDecoder decoder = new RecordIoDecoder(1 << 20, (bytes, offset, length) -> {
      try {
        if (decode) {
          EventDelivery.deliver(bytes, offset, length, sink);
        } else {
          EventDelivery.deliver(Event.parser().parseFrom(bytes, offset, length), sink);
        }
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new IllegalStateException(e);
      }
    });
    for (int from = 0; from < recordIo.length; from += CHUNK) {
      int chunk = from; // one read of the stream: one batch, as SubscriptionStream delivers it
      sink.batch(() -> decoder.feed(recordIo, chunk, Math.min(CHUNK, recordIo.length - chunk)));
    }
    // Parked, not spinning, while the event thread finishes: on two cores a spinning waiter
    // would take the core the event thread needs.
    while (backend.answered.get() < target) {
      LockSupport.parkNanos(1_000_000L);
    }
    return backend.answered.get();
  }

  /** Counts what the framework answers: one DECLINE per offer event, one ACK per update. */
  static final class CountingBackend implements SchedulerBackend {
    final AtomicLong answered = new AtomicLong();
    final AtomicLong launched = new AtomicLong();
    volatile SchedulerEvents events;
    private volatile long target = Long.MAX_VALUE;
    private volatile Thread waiter;

    /** Wakes {@code thread} once {@code count} answers were given. */
    void await(long count, Thread thread) {
      waiter = thread;
      target = count;
    }

    private void answer() {
      if (answered.incrementAndGet() == target) {
        LockSupport.unpark(waiter);
      }
    }

    @Override
    public void subscribe(FrameworkInfo info, SchedulerEvents sink) {
      events = sink;
    }

    @Override
    public void accept(List<String> offerIds, List<TaskLaunch> launches, Duration refuse) {
      launched.addAndGet(launches.size());
    }

    @Override
    public void decline(List<String> offerIds, Duration refuse) {
      answer();
    }

    @Override
    public void revive() {}

    @Override
    public void suppress() {}

    @Override
    public void kill(String mesosTaskId, String agentId) {}

    @Override
    public void acknowledge(String agentId, String mesosTaskId, byte[] uuid) {
      answer();
    }

    @Override
    public void reconcile(List<ReconcileTask> tasks) {}

    @Override
    public void message(String agentId, String executorId, byte[] data) {}

    @Override
    public void teardown() {}

    @Override
    public void close() {}
  }
}
