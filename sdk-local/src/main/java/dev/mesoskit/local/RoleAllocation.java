package dev.mesoskit.local;

import dev.mesoskit.local.LocalMaster.AgentEntry;
import dev.mesoskit.local.LocalMaster.FrameworkEntry;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.mesos.v1.Protos;

/**
 * The allocator's rules about roles and capabilities, after Mesos' hierarchical allocator
 * ({@code src/master/allocator/mesos/hierarchical.cpp}) and master: the roles a framework is
 * offered resources for, which agents a framework may be offered at all
 * ({@code isCapableOfReceivingAgent}: agents with gpus only to GPU_RESOURCES frameworks, agents
 * in a region other than the master's only to REGION_AWARE frameworks), and the checks of an
 * UPDATE_FRAMEWORK call ({@code validation::framework::validateUpdate}), its and SUBSCRIBE's
 * {@code suppressed_roles} ({@code validateSuppressedRoles}) and the roles of SUPPRESS and REVIVE.
 *
 * <p>Threading: stateless; the allocator calls it with the master's lock held.
 */
final class RoleAllocation {
  private RoleAllocation() {}

  /** One role of one framework: what the allocator's round robin goes over. */
  record Client(FrameworkEntry framework, String role) {}

  /**
   * The roles a framework is offered resources for: its {@code roles} when MULTI_ROLE, else its
   * legacy {@code role} ({@code *} when unset), as Mesos' {@code protobuf::framework::getRoles}.
   */
  @SuppressWarnings("deprecation")
  static List<String> roles(Protos.FrameworkInfo info) {
    if (has(info, Protos.FrameworkInfo.Capability.Type.MULTI_ROLE)) {
      return info.getRolesList();
    }
    return List.of(info.hasRole() ? info.getRole() : "*");
  }

  /**
   * Whether a framework may be offered an agent's resources at all: not when the agent has gpus
   * and the framework lacks GPU_RESOURCES (Mesos' {@code --filter_gpu_resources}, on by
   * default), nor when the agent's region is not the master's and the framework lacks
   * REGION_AWARE (an agent without a domain is never remote).
   */
  static boolean capable(Protos.FrameworkInfo info, AgentEntry agent,
      Optional<Protos.DomainInfo> masterDomain) {
    if (!has(info, Protos.FrameworkInfo.Capability.Type.GPU_RESOURCES)
        && agent.total.scalar("gpus") > 0) {
      return false;
    }
    return has(info, Protos.FrameworkInfo.Capability.Type.REGION_AWARE)
        || !remote(agent.agent.config.domain(), masterDomain);
  }

  /** {@code isRemoteSlave}: the agent has a fault domain whose region is not the master's. */
  static boolean remote(Optional<Protos.DomainInfo> agentDomain,
      Optional<Protos.DomainInfo> masterDomain) {
    if (agentDomain.isEmpty() || !agentDomain.get().hasFaultDomain() || masterDomain.isEmpty()) {
      return false;
    }
    return !agentDomain.get().getFaultDomain().getRegion()
        .equals(masterDomain.get().getFaultDomain().getRegion());
  }

  /**
   * {@code validation::framework::validateUpdate}: what UPDATE_FRAMEWORK may not change (its
   * principal, user and checkpointing). Null when the update is allowed.
   */
  static String update(Protos.FrameworkInfo old, Protos.FrameworkInfo updated) {
    Optional<String> oldPrincipal = old.hasPrincipal() ? Optional.of(old.getPrincipal())
        : Optional.empty();
    Optional<String> newPrincipal = updated.hasPrincipal() ? Optional.of(updated.getPrincipal())
        : Optional.empty();
    if (!oldPrincipal.equals(newPrincipal)) {
      return "Changing framework's principal is not allowed.";
    }
    if (!updated.getUser().equals(old.getUser())) {
      return "Updating 'FrameworkInfo.user' is unsupported; attempted to update from '"
          + old.getUser() + "' to '" + updated.getUser() + "'";
    }
    if (updated.getCheckpoint() != old.getCheckpoint()) {
      return "Updating 'FrameworkInfo.checkpoint' is unsupported; attempted to update from '"
          + old.getCheckpoint() + "' to '" + updated.getCheckpoint() + "'";
    }
    return null;
  }

  /**
   * {@code validation::framework::validateSuppressedRoles}: every role of SUBSCRIBE's or
   * UPDATE_FRAMEWORK's {@code suppressed_roles} is one of the framework's roles. Null when they
   * are; else Mesos' message, the stray roles sorted as its {@code std::set} prints them.
   *
   * @param info the framework's (new) information
   * @param suppressed the call's {@code suppressed_roles}
   */
  static String suppressedRoles(Protos.FrameworkInfo info, List<String> suppressed) {
    Set<String> stray = new TreeSet<>(suppressed);
    stray.removeAll(roles(info));
    if (stray.isEmpty()) {
      return null;
    }
    return "Suppressed roles { " + String.join(", ", stray) + " } are not contained in the set"
        + " of roles";
  }

  /**
   * The roles of a SUPPRESS or REVIVE, as Mesos' {@code Master::suppress} and
   * {@code Master::revive} check them: each is a valid role and one of the framework's. Null when
   * they are; else why Mesos drops the whole call (it still answers 202).
   *
   * @param verb {@code suppression} or {@code revive}, as Mesos words it
   * @param roles the call's roles
   * @param info the framework's information
   */
  static String callRoles(String verb, List<String> roles, Protos.FrameworkInfo info) {
    List<String> frameworkRoles = roles(info);
    for (String role : roles) {
      String invalid = MasterValidation.role(role);
      if (invalid != null) {
        return verb + " role '" + role + "' is invalid: " + invalid;
      }
      if (!frameworkRoles.contains(role)) {
        return verb + " role '" + role + "' is not one of the frameworks's subscribed roles";
      }
    }
    return null;
  }

  private static boolean has(Protos.FrameworkInfo info,
      Protos.FrameworkInfo.Capability.Type capability) {
    return info.getCapabilitiesList().stream().anyMatch(c -> c.getType() == capability);
  }
}
