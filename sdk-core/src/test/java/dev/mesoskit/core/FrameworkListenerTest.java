package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The framework listener (subscribed, disconnected, reconnecting, failed) and
 * {@code awaitSubscribed}.
 */
class FrameworkListenerTest {
  private final TestRig rig = new TestRig();
  /** What the recording listener heard, one line per call. */
  private final List<String> heard = new ArrayList<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();

  private final FrameworkListener recording = new FrameworkListener() {
    @Override
    public void subscribed(String frameworkId, String master, boolean failover) {
      heard.add("subscribed " + frameworkId + " master=" + master + " failover=" + failover);
    }

    @Override
    public void disconnected(String why) {
      heard.add("disconnected " + why);
    }

    @Override
    public void reconnecting(int attempt, Duration nextDelay, String why) {
      heard.add("reconnecting " + attempt + " " + nextDelay + " " + why);
    }

    @Override
    public void failed(Throwable cause) {
      heard.add("failed");
      failure.set(cause);
    }
  };

  private void start() {
    rig.start(rig.builder().frameworkListener(recording));
  }

  @Test
  void tellsTheListenerOfEverySubscriptionAndWhetherTheMasterConfirmedAKnownId() {
    start();
    rig.subscribed();
    rig.disconnected();
    rig.subscribed();

    assertThat(heard).containsExactly(
        "subscribed fw-1 master=" + rig.backend + " failover=false",
        "disconnected connection reset",
        "subscribed fw-1 master=" + rig.backend + " failover=true");
  }

  @Test
  void passesTheMastersAddressWhenTheBackendReportsIt() {
    start();

    rig.backend.events().subscribed("fw-1", Duration.ofSeconds(15), "http://10.0.0.5:5050");
    rig.loop.runPending();

    assertThat(heard).containsExactly("subscribed fw-1 master=http://10.0.0.5:5050 failover=false");
    assertThat(rig.framework.frameworkId()).contains("fw-1");
  }

  @Test
  void aRestartedSchedulerThatFailsOverToItsStoredIdIsTold() {
    rig.store.save("fw-1");
    start();

    rig.subscribed();
    rig.backend.subscribed("fw-2"); // the master forgot fw-1 and registered the framework anew
    rig.loop.runPending();

    assertThat(heard).containsExactly(
        "subscribed fw-1 master=" + rig.backend + " failover=true",
        "subscribed fw-2 master=" + rig.backend + " failover=false");
  }

  @Test
  void tellsTheListenerOfReconnectionAttemptsTheBackendReports() {
    start();

    rig.backend.events().reconnecting(3, Duration.ofSeconds(4), "connection refused");
    rig.loop.runPending();

    assertThat(heard).containsExactly("reconnecting 3 PT4S connection refused");
  }

  @Test
  void tellsTheListenerWhenTheFrameworkFailsWithTheFailureAwaitTerminationThrows() {
    start();
    rig.subscribed();

    rig.backend.events().error("Framework has been removed");
    rig.loop.runPending();

    assertThat(heard).endsWith("failed");
    MesosKitException thrown = catchThrowableOfType(MesosKitException.class,
        () -> rig.framework.awaitTermination(Duration.ZERO));
    assertThat(failure.get()).isSameAs(thrown);
  }

  @Test
  void aBackendThatGivesUpFailsTheFrameworkWithItsReasonAlone() {
    start();

    rig.backend.events().failed("http://127.0.0.1:8080 is not a Mesos master: it answered 501"
        + " to SUBSCRIBE");
    rig.loop.runPending();

    assertThat(heard).endsWith("failed");
    MesosKitException thrown = catchThrowableOfType(MesosKitException.class,
        () -> rig.framework.awaitTermination(Duration.ZERO));
    assertThat(thrown).hasMessage("framework test stopped: http://127.0.0.1:8080 is not a Mesos"
        + " master: it answered 501 to SUBSCRIBE");
  }

  @Test
  void aFrameworkListenerThatThrowsFailsTheFramework() {
    IllegalStateException boom = new IllegalStateException("boom");
    rig.start(rig.builder().frameworkListener(new FrameworkListener() {
      @Override
      public void subscribed(String frameworkId, String master, boolean failover) {
        throw boom;
      }
    }).frameworkListener(recording));

    rig.subscribed();

    assertThat(rig.framework.isTerminated()).isTrue();
    assertThat(heard).containsExactly("failed");
    assertThatThrownBy(() -> rig.framework.awaitTermination(Duration.ZERO))
        .isInstanceOf(MesosKitException.class)
        .hasMessageEndingWith(" failed on subscribed")
        .cause().isSameAs(boom);
  }

  @Test
  void aFrameworkListenerThatThrowsOnFailedIsIgnored() {
    rig.start(rig.builder().frameworkListener(new FrameworkListener() {
      @Override
      public void failed(Throwable cause) {
        throw new IllegalStateException("listener bug");
      }
    }).frameworkListener(recording));
    rig.subscribed();

    rig.backend.events().error("Framework has been removed");
    rig.loop.runPending();

    assertThat(heard).endsWith("failed");
    assertThatThrownBy(() -> rig.framework.awaitTermination(Duration.ZERO))
        .hasMessageStartingWith("master sent ERROR to framework test");
  }

  @Test
  void awaitSubscribedReturnsAtOnceWhenSubscribed() {
    rig.started();

    rig.framework.awaitSubscribed(Duration.ZERO);
  }

  @Test
  @Timeout(30)
  void awaitSubscribedWaitsForTheSubscription() throws Exception {
    rig.start();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread waiter = new Thread(() -> {
      try {
        rig.framework.awaitSubscribed(Duration.ofSeconds(20));
      } catch (Throwable t) {
        thrown.set(t);
      }
    });
    waiter.start();

    rig.subscribed();
    waiter.join();

    assertThat(thrown.get()).isNull();
  }

  @Test
  void awaitSubscribedNamesTheTimeoutAndTheLastProblemTheBackendReported() {
    rig.start();
    rig.disconnected();
    rig.backend.events().reconnecting(2, Duration.ofSeconds(4), "connection refused");
    rig.loop.runPending();

    assertThatThrownBy(() -> rig.framework.awaitSubscribed(Duration.ofMillis(1)))
        .isInstanceOf(MesosKitException.class)
        .hasMessage("framework test not subscribed within PT0.001S; last problem: subscription"
            + " attempt 2 failed, next in PT4S: connection refused");
  }

  @Test
  void awaitSubscribedNamesTheLastDisconnection() {
    rig.started();
    rig.disconnected();

    assertThatThrownBy(() -> rig.framework.awaitSubscribed(Duration.ZERO))
        .isInstanceOf(MesosKitException.class)
        .hasMessage("framework test not subscribed within PT0S; last problem: disconnected:"
            + " connection reset");
  }

  @Test
  void awaitSubscribedSaysWhenTheBackendReportedNoProblem() {
    rig.start();

    assertThatThrownBy(() -> rig.framework.awaitSubscribed(Duration.ZERO))
        .isInstanceOf(MesosKitException.class)
        .hasMessage("framework test not subscribed within PT0S; the backend reported no problem"
            + " yet (backend " + rig.backend + ")");
  }

  @Test
  @Timeout(30)
  void awaitSubscribedThrowsAtOnceWhenTheFrameworkFailed() {
    rig.start();
    rig.backend.events().error("Framework has been removed");
    rig.loop.runPending();

    assertThatThrownBy(() -> rig.framework.awaitSubscribed(Duration.ofHours(1)))
        .isInstanceOf(MesosKitException.class)
        .hasMessageStartingWith("framework test failed, it will not subscribe: master sent ERROR"
            + " to framework test")
        .cause().hasMessageContaining("Framework has been removed");
  }

  @Test
  @Timeout(30)
  void awaitSubscribedRefusesAFrameworkNotStartedOrClosed() {
    Framework notStarted = rig.builder().build();
    assertThatThrownBy(() -> notStarted.awaitSubscribed(Duration.ofHours(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("framework test was not started: call start() before awaitSubscribed");

    rig.started();
    rig.framework.close();
    rig.loop.runPending();
    assertThatThrownBy(() -> rig.framework.awaitSubscribed(Duration.ofHours(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("framework test is stopped: it will not subscribe");
  }

  @Test
  void awaitSubscribedRefusesANegativeTimeout() {
    rig.started();

    assertThatThrownBy(() -> rig.framework.awaitSubscribed(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout must be >= 0 but was PT-0.001S");
  }
}
