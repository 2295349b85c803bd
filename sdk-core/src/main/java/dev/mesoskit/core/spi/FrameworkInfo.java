package dev.mesoskit.core.spi;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a framework tells the master about itself when it subscribes ({@code FrameworkInfo}).
 *
 * @param name the framework name shown by the master
 * @param user the OS user tasks run as by default
 * @param roles the roles the framework subscribes with (MULTI_ROLE), at least one, no repeats;
 *     the first is its default role
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
    List<String> roles,
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
   * @param roles the roles the framework subscribes with, at least one, no repeats
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
    roles = List.copyOf(roles);
    if (roles.isEmpty() || new java.util.HashSet<>(roles).size() != roles.size()) {
      throw new IllegalArgumentException(
          "roles must hold at least one role and no repeats but was " + roles);
    }
    Objects.requireNonNull(principal, "principal must not be null");
    Objects.requireNonNull(id, "id must not be null");
    Objects.requireNonNull(failoverTimeout, "failoverTimeout must not be null");
    Objects.requireNonNull(hostname, "hostname must not be null");
    Objects.requireNonNull(webuiUrl, "webuiUrl must not be null");
    capabilities = Set.copyOf(capabilities);
  }

  /**
   * Information with one role.
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
  public FrameworkInfo(String name, String user, String role, Optional<String> principal,
      Optional<String> id, Duration failoverTimeout, Optional<String> hostname,
      Optional<String> webuiUrl, Set<String> capabilities) {
    this(name, user, List.of(role), principal, id, failoverTimeout, hostname, webuiUrl,
        capabilities);
  }

  /**
   * The framework's default role: the first of {@link #roles()}.
   *
   * @return the role
   */
  public String role() {
    return roles.get(0);
  }

  /**
   * Returns a copy with other capabilities.
   *
   * @param newCapabilities Mesos capability names
   * @return the copy
   */
  public FrameworkInfo capabilities(Set<String> newCapabilities) {
    return new FrameworkInfo(name, user, roles, principal, id, failoverTimeout, hostname,
        webuiUrl, newCapabilities);
  }

  /**
   * Returns a copy with other roles.
   *
   * @param newRoles the roles, at least one
   * @return the copy
   */
  public FrameworkInfo roles(List<String> newRoles) {
    return new FrameworkInfo(name, user, newRoles, principal, id, failoverTimeout, hostname,
        webuiUrl, capabilities);
  }

  /**
   * Returns a copy carrying the framework id, for failover.
   *
   * @param frameworkId the id the master assigned
   * @return the copy
   */
  public FrameworkInfo withId(String frameworkId) {
    return new FrameworkInfo(name, user, roles, principal, Optional.of(frameworkId),
        failoverTimeout, hostname, webuiUrl, capabilities);
  }
}
