package dev.mesoskit.core.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a framework tells the master about itself when it subscribes ({@code FrameworkInfo}).
 *
 * @param name the framework name shown by the master
 * @param user the OS user tasks run as by default
 * @param role the role the framework subscribes with
 * @param principal the principal for authentication and reservations, if any
 * @param id the framework id to fail over to, when re-subscribing
 * @param failoverTimeout how long the master keeps the framework's tasks after it disconnects
 * @param hostname the scheduler's hostname, if it should be shown
 * @param webuiUrl a URL to the framework's own UI, if any
 * @param capabilities Mesos capability names, e.g. {@code PARTITION_AWARE}
 */
public record FrameworkInfo(
    String name,
    String user,
    String role,
    Optional<String> principal,
    Optional<String> id,
    Duration failoverTimeout,
    Optional<String> hostname,
    Optional<String> webuiUrl,
    Set<String> capabilities) {

  /**
   * Validates and copies the fields.
   *
   * @param name the framework name shown by the master
   * @param user the OS user tasks run as by default
   * @param role the role the framework subscribes with
   * @param principal the principal for authentication and reservations, if any
   * @param id the framework id to fail over to, when re-subscribing
   * @param failoverTimeout how long the master keeps the framework's tasks after it disconnects
   * @param hostname the scheduler's hostname, if it should be shown
   * @param webuiUrl a URL to the framework's own UI, if any
   * @param capabilities Mesos capability names, e.g. {@code PARTITION_AWARE}
   * @throws NullPointerException if a required field is null
   */
  public FrameworkInfo {
    Objects.requireNonNull(name, "name must not be null");
    Objects.requireNonNull(user, "user must not be null");
    Objects.requireNonNull(role, "role must not be null");
    Objects.requireNonNull(principal, "principal must not be null");
    Objects.requireNonNull(id, "id must not be null");
    Objects.requireNonNull(failoverTimeout, "failoverTimeout must not be null");
    Objects.requireNonNull(hostname, "hostname must not be null");
    Objects.requireNonNull(webuiUrl, "webuiUrl must not be null");
    capabilities = Set.copyOf(capabilities);
  }

  /**
   * Returns a copy carrying the framework id, for failover.
   *
   * @param frameworkId the id the master assigned
   * @return the copy
   */
  public FrameworkInfo withId(String frameworkId) {
    return new FrameworkInfo(name, user, role, principal, Optional.of(frameworkId),
        failoverTimeout, hostname, webuiUrl, capabilities);
  }
}
