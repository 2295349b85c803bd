package dev.mesoskit.local;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One v1 scheduler call a {@link LocalCluster}'s master received on {@code /api/v1/scheduler},
 * accepted or refused, with the HTTP status it answered; see {@link LocalCluster#calls()}.
 *
 * @param sequence the call's place in the master's arrival order, from 1, shared by every call
 * @param type the call's type ({@code "SUBSCRIBE"}, {@code "ACCEPT"}, {@code "ACKNOWLEDGE"},
 *     ...), or {@code "UNKNOWN"} when the body could not be read as a call
 * @param frameworkId the framework id the call carried; for SUBSCRIBE the one in its
 *     FrameworkInfo, or the one the master assigned when it accepted a first subscription
 * @param streamId the {@code Mesos-Stream-Id} header the call carried; for SUBSCRIBE the stream
 *     id the master assigned when it answered 200
 * @param status the HTTP status the master answered (200, 202, 400, 403, 503, ...)
 * @param taskIds for ACCEPT the task ids of its LAUNCH and LAUNCH_GROUP operations in order, for
 *     ACKNOWLEDGE and KILL its task id, else empty
 */
public record SchedulerCallRecord(long sequence, String type, Optional<String> frameworkId,
    Optional<String> streamId, int status, List<String> taskIds) {
  /**
   * Validates and copies the fields.
   *
   * @param sequence the call's place in arrival order, from 1
   * @param type the call's type, or {@code "UNKNOWN"}
   * @param frameworkId the framework id it carried or was assigned
   * @param streamId the stream id it carried or was assigned
   * @param status the HTTP status answered
   * @param taskIds the task ids it named
   */
  public SchedulerCallRecord {
    if (sequence < 1) {
      throw new IllegalArgumentException("sequence must be >= 1 but was " + sequence);
    }
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(frameworkId, "frameworkId must not be null");
    Objects.requireNonNull(streamId, "streamId must not be null");
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status must be 100-599 but was " + status);
    }
    taskIds = List.copyOf(taskIds);
  }
}
