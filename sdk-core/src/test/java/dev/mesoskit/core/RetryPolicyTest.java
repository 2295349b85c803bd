package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class RetryPolicyTest {
  private static final Set<TaskState> FAILED_ENDINGS = EnumSet.of(TaskState.FAILED,
      TaskState.LOST, TaskState.DROPPED, TaskState.UNREACHABLE, TaskState.GONE,
      TaskState.GONE_BY_OPERATOR, TaskState.UNKNOWN);

  @Test
  void hasTheDocumentedDefaults() {
    assertThat(RetryPolicy.defaults()).isEqualTo(new RetryPolicy(3, Duration.ofSeconds(1),
        Duration.ofMinutes(1), 2.0, 0.2, FAILED_ENDINGS,
        Set.of("REASON_TASK_INVALID", "REASON_TASK_UNAUTHORIZED", "REASON_TASK_GROUP_INVALID",
            "REASON_TASK_GROUP_UNAUTHORIZED")));
    assertThat(RetryPolicy.none().maxAttempts()).isEqualTo(1);
    assertThat(RetryPolicy.none().toBuilder().maxAttempts(3).build())
        .isEqualTo(RetryPolicy.defaults());
  }

  // ---- backoff ----

  @ParameterizedTest(name = "attempt {0} with random {1} waits {2} ms")
  @CsvSource({
    "1, 0.0,  1000",
    "2, 0.0,  2000",
    "3, 0.0,  4000",
    "3, 0.5,  3600",
    "1, 0.7,  860",
    "4, 0.25, 7600",
    "0, 0.0,  1000",
    "6, 0.0,  32000",
    "7, 0.0,  60000",
    "7, 0.5,  54000",
  })
  void backsOffExponentiallyWithJitterByDefault(int attempt, double random, long millis) {
    assertThat(RetryPolicy.defaults().backoff(attempt, random))
        .isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest(name = "attempt {0} with random {1} waits {2} ms")
  @CsvSource({
    "3, 0.0,    4000",
    "4, 0.0,    5000",
    "4, 0.5,    4500",
    "5, 0.999,  4001",
    "1000, 0.0, 5000",
    "2147483647, 0.0, 5000",
  })
  void capsTheBackoffAtMaxBackoffBeforeJitter(int attempt, double random, long millis) {
    RetryPolicy policy = RetryPolicy.builder().maxBackoff(Duration.ofSeconds(5)).build();

    assertThat(policy.backoff(attempt, random)).isEqualTo(Duration.ofMillis(millis));
  }

  @Test
  void roundsTheBackoffToTheNearestNanosecond() {
    RetryPolicy policy = RetryPolicy.builder().jitter(0.1).build();

    // 1 s * (1 - 0.1 * 0.68) is 0.932 s; in doubles the product is a hair below 932,000,000 ns.
    assertThat(policy.backoff(1, 0.68)).isEqualTo(Duration.ofMillis(932));
    assertThat(policy.backoff(2, 0.68)).isEqualTo(Duration.ofMillis(1864));
  }

  @Test
  void usesNoRandomnessWithoutJitterAndGrowsByTheMultiplier() {
    RetryPolicy policy = RetryPolicy.builder().jitter(0).multiplier(1.5)
        .initialBackoff(Duration.ofMillis(100)).build();

    assertThat(policy.backoff(1, 0.9)).isEqualTo(Duration.ofMillis(100));
    assertThat(policy.backoff(2, 0.9)).isEqualTo(Duration.ofMillis(150));
    assertThat(policy.backoff(3, 0.1)).isEqualTo(Duration.ofMillis(225));
  }

  @Test
  void takesAtMostTheWholeDelayWithFullJitter() {
    RetryPolicy policy = RetryPolicy.builder().jitter(1).build();

    assertThat(policy.backoff(1, 0.999)).isEqualTo(Duration.ofMillis(1));
    assertThat(policy.backoff(1, 0.0)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void waitsNothingWithAZeroBackoff() {
    RetryPolicy policy = RetryPolicy.builder()
        .initialBackoff(Duration.ZERO).maxBackoff(Duration.ZERO).build();

    assertThat(policy.backoff(5, 0.5)).isEqualTo(Duration.ZERO);
  }

  // ---- retries ----

  @Test
  void retriesFailedEndingsUntilTheLastAttempt() {
    RetryPolicy policy = RetryPolicy.defaults();

    assertThat(policy.retries(1, TaskState.FAILED, null)).isTrue();
    assertThat(policy.retries(2, TaskState.FAILED, null)).isTrue();
    assertThat(policy.retries(3, TaskState.FAILED, null)).isFalse();
    assertThat(policy.retries(4, TaskState.FAILED, null)).isFalse();
  }

  @Test
  void retriesExactlyTheFailedEndings() {
    RetryPolicy policy = RetryPolicy.defaults();

    assertThat(Arrays.stream(TaskState.values()).filter(s -> policy.retries(1, s, null)))
        .containsExactlyInAnyOrderElementsOf(FAILED_ENDINGS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"REASON_TASK_INVALID", "REASON_TASK_UNAUTHORIZED",
      "REASON_TASK_GROUP_INVALID", "REASON_TASK_GROUP_UNAUTHORIZED"})
  void neverRetriesInvalidOrUnauthorizedTasks(String reason) {
    assertThat(RetryPolicy.defaults().retries(1, TaskState.FAILED, reason)).isFalse();
    assertThat(RetryPolicy.defaults().retries(1, TaskState.LOST, reason)).isFalse();
  }

  @Test
  void retriesForOtherReasons() {
    assertThat(RetryPolicy.defaults()
        .retries(1, TaskState.FAILED, "REASON_COMMAND_EXECUTOR_FAILED")).isTrue();
  }

  @Test
  void followsCustomRetryOnAndReasons() {
    RetryPolicy policy = RetryPolicy.builder()
        .retryOn(Set.of(TaskState.LOST)).neverRetryReasons(Set.of("REASON_X")).build();

    assertThat(policy.retries(1, TaskState.LOST, null)).isTrue();
    assertThat(policy.retries(1, TaskState.FAILED, null)).isFalse();
    assertThat(policy.retries(1, TaskState.LOST, "REASON_X")).isFalse();
    assertThat(policy.retries(1, TaskState.LOST, "REASON_TASK_INVALID")).isTrue();
  }

  @Test
  void neverRetriesWithOneAttempt() {
    assertThat(RetryPolicy.none().retries(1, TaskState.FAILED, null)).isFalse();
  }

  // ---- validation ----

  @Test
  void rejectsInvalidNumbers() {
    assertRejected(() -> RetryPolicy.builder().maxAttempts(0).build(),
        "maxAttempts must be >= 1 but was 0");
    assertRejected(() -> RetryPolicy.builder().initialBackoff(Duration.ofSeconds(-1)).build(),
        "initialBackoff must be >= 0 but was PT-1S");
    assertRejected(() -> RetryPolicy.builder().maxBackoff(Duration.ofMillis(500)).build(),
        "maxBackoff must be >= initialBackoff (PT1S) but was PT0.5S");
    assertRejected(() -> RetryPolicy.builder().multiplier(0.5).build(),
        "multiplier must be >= 1 but was 0.5");
    assertRejected(() -> RetryPolicy.builder().multiplier(Double.NaN).build(),
        "multiplier must be >= 1 but was NaN");
    assertRejected(() -> RetryPolicy.builder().multiplier(Double.POSITIVE_INFINITY).build(),
        "multiplier must be >= 1 but was Infinity");
    assertRejected(() -> RetryPolicy.builder().jitter(-0.1).build(),
        "jitter must be between 0 and 1 but was -0.1");
    assertRejected(() -> RetryPolicy.builder().jitter(1.5).build(),
        "jitter must be between 0 and 1 but was 1.5");
    assertRejected(() -> RetryPolicy.builder().jitter(Double.NaN).build(),
        "jitter must be between 0 and 1 but was NaN");
  }

  @Test
  void rejectsMissingDurations() {
    assertThatThrownBy(() -> RetryPolicy.builder().initialBackoff(null).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("initialBackoff must not be null");
    assertThatThrownBy(() -> RetryPolicy.builder().maxBackoff(null).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("maxBackoff must not be null");
  }

  @ParameterizedTest
  @EnumSource(value = TaskState.class,
      names = {"PENDING", "STAGING", "STARTING", "RUNNING", "KILLING", "FINISHED", "KILLED",
          "ERROR"})
  void rejectsRetryOnStatesThatAreNotFailedEndings(TaskState state) {
    assertRejected(() -> RetryPolicy.builder().retryOn(Set.of(TaskState.FAILED, state)).build(),
        "retryOn must hold only failed attempt endings (FAILED, LOST, DROPPED, UNREACHABLE,"
            + " GONE, GONE_BY_OPERATOR, UNKNOWN) but held " + state);
  }

  @Test
  void acceptsTheBoundaries() {
    RetryPolicy policy = RetryPolicy.builder().maxAttempts(1).initialBackoff(Duration.ZERO)
        .maxBackoff(Duration.ZERO).multiplier(1).jitter(1).retryOn(Set.of())
        .neverRetryReasons(Set.of()).build();

    assertThat(policy.retryOn()).isEmpty();
    assertThat(RetryPolicy.builder().jitter(0).build().jitter()).isZero();
  }

  @Test
  void copiesTheSetsItIsGiven() {
    Set<TaskState> retryOn = EnumSet.of(TaskState.LOST);
    Set<String> reasons = new HashSet<>(Set.of("REASON_X"));
    RetryPolicy policy = RetryPolicy.builder().retryOn(retryOn).neverRetryReasons(reasons).build();

    retryOn.add(TaskState.FAILED);
    reasons.clear();

    assertThat(policy.retryOn()).containsExactly(TaskState.LOST);
    assertThat(policy.neverRetryReasons()).containsExactly("REASON_X");
    assertThatThrownBy(() -> policy.retryOn().add(TaskState.GONE))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void rebuildsFromToBuilder() {
    RetryPolicy policy = RetryPolicy.builder().maxAttempts(7).initialBackoff(Duration.ofMillis(10))
        .maxBackoff(Duration.ofSeconds(3)).multiplier(3).jitter(0.5)
        .retryOn(Set.of(TaskState.GONE)).neverRetryReasons(Set.of("R")).build();

    assertThat(policy.toBuilder().build()).isEqualTo(policy);
  }

  private static void assertRejected(Supplier<RetryPolicy> build, String message) {
    assertThatThrownBy(build::get)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }
  @Test
  void unlimitedAttemptsRetryForEverWithTheBackoffCappedAtTheMaximum() {
    RetryPolicy service = RetryPolicy.builder().unlimitedAttempts()
        .maxBackoff(Duration.ofSeconds(30)).jitter(0).build();

    assertThat(service.maxAttempts()).isEqualTo(RetryPolicy.UNLIMITED).isEqualTo(Integer.MAX_VALUE);
    assertThat(service.unlimitedAttempts()).isTrue();
    assertThat(RetryPolicy.defaults().unlimitedAttempts()).isFalse();
    assertThat(service.retries(1, TaskState.FAILED, "REASON_EXECUTOR_TERMINATED")).isTrue();
    assertThat(service.retries(1_000_000, TaskState.LOST, null)).isTrue();
    assertThat(service.retries(Integer.MAX_VALUE - 1, TaskState.FAILED, null)).isTrue();
    assertThat(service.retries(1, TaskState.FAILED, "REASON_TASK_INVALID")).isFalse();
    assertThat(service.backoff(5, 0.0)).isEqualTo(Duration.ofSeconds(16));
    assertThat(service.backoff(6, 0.0)).isEqualTo(Duration.ofSeconds(30));
    assertThat(service.backoff(1_000_000, 0.0)).isEqualTo(Duration.ofSeconds(30));
    assertThat(service.backoff(Integer.MAX_VALUE - 1, 0.0)).isEqualTo(Duration.ofSeconds(30));
    assertThat(service.toBuilder().build()).isEqualTo(service);
  }
}
