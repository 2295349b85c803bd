package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.mesoskit.core.spi.FrameworkIdStore;
import dev.mesoskit.core.testing.FakeBackend;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Starting fresh: the framework of an earlier run is torn down by its stored id. */
@Timeout(30)
class FrameworkTearDownTest {
  private final FakeBackend backend = new FakeBackend();
  private final FrameworkIdStore store = FrameworkIdStore.inMemory();

  private Framework.Builder builder() {
    return Framework.builder().name("render").backend(backend).frameworkIdStore(store);
  }

  private void awaitCall(String call) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!backend.calls().contains(call)) {
      assertThat(System.nanoTime()).as("no call '" + call + "': " + backend.calls())
          .isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  @Test
  void subscribesAsTheEarlierRunsFrameworkAndTearsItDown() throws Exception {
    store.save("fw-old");
    CompletableFuture<Boolean> tornDown =
        CompletableFuture.supplyAsync(() -> Framework.tearDown(builder(), Duration.ofSeconds(10)));

    awaitCall("subscribe fw-old");
    backend.subscribed("fw-old");

    assertThat(tornDown.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(backend.calls()).contains("teardown");
    assertThat(store.load()).isEmpty();
  }

  @Test
  void aTeardownTheMasterDidNotConfirmIsAFailureAndTheIdIsKept() throws Exception {
    store.save("fw-old");
    backend.failTeardown("TEARDOWN of framework fw-old failed: timed out");
    CompletableFuture<Boolean> tornDown =
        CompletableFuture.supplyAsync(() -> Framework.tearDown(builder(), Duration.ofSeconds(10)));

    awaitCall("subscribe fw-old");
    backend.subscribed("fw-old");

    assertThat(catchThrowable(() -> tornDown.get(10, TimeUnit.SECONDS)))
        .hasCauseInstanceOf(MesosKitException.class)
        .cause().hasMessage("framework render (fw-old) was not torn down: TEARDOWN of framework"
            + " fw-old failed: timed out");
    assertThat(store.load()).hasValue("fw-old");
  }

  @Test
  void aFrameworkTheMasterRemovedAlreadyIsForgotten() throws Exception {
    store.save("fw-old");
    CompletableFuture<Boolean> tornDown =
        CompletableFuture.supplyAsync(() -> Framework.tearDown(builder(), Duration.ofSeconds(10)));

    awaitCall("subscribe fw-old");
    backend.events().error("Framework has been removed");

    assertThat(tornDown.get(10, TimeUnit.SECONDS)).isFalse();
    assertThat(store.load()).isEmpty();
    assertThat(backend.calls()).doesNotContain("teardown");
  }

  @Test
  void doesNothingWithoutAStoredId() {
    assertThat(Framework.tearDown(builder(), Duration.ofSeconds(1))).isFalse();
    assertThat(backend.calls()).isEmpty();
  }

  @Test
  void saysSoWhenTheMasterDoesNotAnswerInTime() {
    store.save("fw-old");

    assertThatThrownBy(() -> Framework.tearDown(builder(), Duration.ofMillis(200)))
        .isInstanceOf(MesosKitException.class)
        .hasMessageStartingWith("framework render not subscribed within PT0.2S");
    assertThat(backend.calls()).doesNotContain("teardown");
  }
}
