package dev.mesoskit.local;

import com.google.protobuf.ByteString;
import com.google.protobuf.TextFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * Apache Mesos' master-side validation of IDs, resources, offers, tasks and executors, in Mesos'
 * own words ({@code src/common/validation.cpp}, {@code src/common/resources.cpp},
 * {@code src/master/validation.cpp}): each method returns the message a real master puts into
 * its answer, or {@code null} when the thing is valid. The rules, their order and the tests that
 * hold LocalCluster to them are listed in {@code sdk-local/VALIDATION.md}.
 */
final class MasterValidation {
  /** Linux' NAME_MAX: an ID becomes a directory name on the agent. */
  static final int MAX_ID_LENGTH = 255;

  private MasterValidation() {}

  /** What a task is checked against: the framework's books on the offer's agent. */
  interface Books {
    /** The framework's id. */
    String frameworkId();

    /** The agent of the offers. */
    String agentId();

    /** Whether the framework has a task with this id that is not yet acknowledged terminal. */
    boolean hasTask(String taskId);

    /** The framework's executor of this id on the agent, or null. */
    Protos.ExecutorInfo executor(String executorId);
  }

  /**
   * Mesos' rule for every ID that becomes a path (framework, executor, task, agent, container):
   * not empty, at most 255 bytes of UTF-8 (Mesos counts a {@code std::string}'s bytes), not
   * {@code .} or {@code ..}, and no control character (C's {@code iscntrl} on bytes: U+0000 to
   * U+001F and U+007F), {@code /} or {@code \}.
   */
  static String id(String id) {
    if (id.isEmpty()) {
      return "ID must not be empty";
    }
    if (utf8Length(id) > MAX_ID_LENGTH) {
      return "ID must not be greater than " + MAX_ID_LENGTH + " characters";
    }
    if (id.equals(".") || id.equals("..")) {
      return "'" + id + "' is disallowed";
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '/' || c == '\\' || Character.isSurrogate(c)
          && !validSurrogatePair(id, i)) {
        return "'" + printable(id) + "' contains invalid characters";
      }
      if (Character.isHighSurrogate(c)) {
        i++;
      }
    }
    return null;
  }

  /** Mesos counts an id's bytes (NAME_MAX of a path component), not its characters. */
  private static int utf8Length(String s) {
    int bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  private static boolean validSurrogatePair(String s, int i) {
    return Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length()
        && Character.isLowSurrogate(s.charAt(i + 1));
  }

  /** The ID with control characters and lone surrogates shown as {@code \\uXXXX}. */
  static String printable(String id) {
    StringBuilder out = new StringBuilder(id.length());
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) && !validSurrogatePair(id, i)) {
        out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
      } else {
        out.append(c);
        if (Character.isHighSurrogate(c)) {
          out.append(id.charAt(++i));
        }
      }
    }
    return out.toString();
  }

  /**
   * {@code validation::scheduler::call::validate}: the call's type is known, the message of
   * its type is there, SUBSCRIBE's framework ids agree; null when valid.
   */
  static String call(Call call) {
    if (!call.hasType() || call.getType() == Call.Type.UNKNOWN) {
      return "Expecting 'type' to be present";
    }
    if (call.getType() == Call.Type.SUBSCRIBE) {
      if (!call.hasSubscribe()) {
        return "Expecting 'subscribe' to be present";
      }
      Protos.FrameworkInfo info = call.getSubscribe().getFrameworkInfo();
      if (!info.getId().equals(call.getFrameworkId())) {
        return "'framework_id' differs from 'subscribe.framework_info.id'";
      }
      return null;
    }
    if (!call.hasFrameworkId()) {
      return "Expecting 'framework_id' to be present";
    }
    String missing = switch (call.getType()) {
      case ACCEPT -> call.hasAccept() ? null : "accept";
      case DECLINE -> call.hasDecline() ? null : "decline";
      case ACCEPT_INVERSE_OFFERS -> call.hasAcceptInverseOffers() ? null
          : "accept_inverse_offers";
      case DECLINE_INVERSE_OFFERS -> call.hasDeclineInverseOffers() ? null
          : "decline_inverse_offers";
      case KILL -> call.hasKill() ? null : "kill";
      case SHUTDOWN -> call.hasShutdown() ? null : "shutdown";
      case ACKNOWLEDGE -> call.hasAcknowledge() ? null : "acknowledge";
      case ACKNOWLEDGE_OPERATION_STATUS -> call.hasAcknowledgeOperationStatus() ? null
          : "acknowledge_operation_status";
      case RECONCILE -> call.hasReconcile() ? null : "reconcile";
      case RECONCILE_OPERATIONS -> call.hasReconcileOperations() ? null
          : "reconcile_operations";
      case MESSAGE -> call.hasMessage() ? null : "message";
      case REQUEST -> call.hasRequest() ? null : "request";
      case UPDATE_FRAMEWORK -> call.hasUpdateFramework() ? null : "update_framework";
      default -> null;
    };
    if (missing != null) {
      return "Expecting '" + missing + "' to be present";
    }
    if (call.getType() == Call.Type.ACKNOWLEDGE) {
      return uuid(call.getAcknowledge().getUuid());
    }
    if (call.getType() == Call.Type.UPDATE_FRAMEWORK && !call.getFrameworkId()
        .equals(call.getUpdateFramework().getFrameworkInfo().getId())) {
      return "'framework_id' differs from 'update_framework.framework_info.id'";
    }
    return null;
  }

  /** Stout's {@code UUID::fromBytes}: 16 bytes of an RFC 4122 UUID of version 1 to 5. */
  static String uuid(ByteString bytes) {
    int version = bytes.size() == 16 ? (bytes.byteAt(6) & 0xf0) >> 4 : 0;
    return version >= 1 && version <= 5 ? null : "Not a valid UUID";
  }

  /**
   * {@code validation::framework::validate} of a SUBSCRIBE's FrameworkInfo: roles in the field
   * its capabilities call for, no duplicate or invalid role, a valid id, a failover timeout
   * that is a duration. A real master answers a failure with an ERROR event on the new stream.
   */
  @SuppressWarnings("deprecation")
  static String frameworkInfo(Protos.FrameworkInfo info) {
    boolean multiRole = info.getCapabilitiesList().stream().anyMatch(c ->
        c.getType() == Protos.FrameworkInfo.Capability.Type.MULTI_ROLE);
    if (multiRole && info.hasRole()) {
      return "'FrameworkInfo.role' must not be set when the framework is MULTI_ROLE capable";
    }
    if (!multiRole && info.getRolesCount() > 0) {
      return "'FrameworkInfo.roles' must not be set when the framework is not MULTI_ROLE"
          + " capable";
    }
    if (multiRole) {
      Set<String> seen = new HashSet<>();
      java.util.TreeSet<String> duplicates = new java.util.TreeSet<>();
      for (String role : info.getRolesList()) {
        if (!seen.add(role)) {
          duplicates.add(role);
        }
      }
      if (!duplicates.isEmpty()) {
        return "'FrameworkInfo.roles' contains duplicate items: { "
            + String.join(", ", duplicates) + " }";
      }
      for (String role : info.getRolesList()) {
        String problem = role(role);
        if (problem != null) {
          return "'FrameworkInfo.roles' contains invalid role: " + problem;
        }
      }
    } else {
      String problem = role(info.getRole());
      if (problem != null) {
        return "'FrameworkInfo.role' is not a valid role: " + problem;
      }
    }
    if (info.hasId() && !info.getId().getValue().isEmpty()) {
      String problem = id(info.getId().getValue());
      if (problem != null) {
        return problem;
      }
    }
    double timeout = info.getFailoverTimeout();
    if (!Double.isFinite(timeout) || Math.abs(timeout) * 1e9 >= Long.MAX_VALUE) {
      return "The framework failover_timeout (" + MesosText.number(timeout) + ") is invalid";
    }
    return null;
  }

  /** {@code roles::validate}: a role name Mesos accepts. */
  static String role(String role) {
    if (role.equals("*")) {
      return null;
    }
    if (role.startsWith("/")) {
      return "Role '" + role + "' cannot start with a slash";
    }
    if (role.endsWith("/")) {
      return "Role '" + role + "' cannot end with a slash";
    }
    if (role.contains("//")) {
      return "Role '" + role + "' cannot contain two adjacent slashes";
    }
    if (role.isEmpty()) {
      return "Role names cannot be the empty string";
    }
    for (String component : role.split("/")) {
      if (component.equals(".") || component.equals("..") || component.equals("*")) {
        return "Role '" + role + "' cannot include '" + component + "' as a component";
      }
      if (component.startsWith("-")) {
        return "Role component '" + component + "' is invalid because it starts with a dash";
      }
      if (component.chars().anyMatch(c -> c == '\b' || c == ' ' || c >= '\t' && c <= '\r')) {
        return "Role component '" + component + "' is invalid because it contains backspace"
            + " or whitespace";
      }
    }
    return null;
  }

  /** {@code Resources::validate}: the first invalid resource, named as Mesos prints it. */
  static String resources(List<Protos.Resource> resources) {
    for (Protos.Resource r : resources) {
      String problem = resource(r);
      if (problem != null) {
        return "Resource '" + MesosText.resource(r) + "' is invalid: " + problem;
      }
    }
    return null;
  }

  private static String resource(Protos.Resource r) {
    if (r.getName().isEmpty()) {
      return "Empty resource name";
    }
    switch (r.getType()) {
      case SCALAR -> {
        if (!r.hasScalar() || r.hasRanges() || r.hasSet()) {
          return "Invalid scalar resource";
        }
        double v = r.getScalar().getValue();
        // Mesos compares in fixed point of three decimals: -0.0001 is 0, hence "<= 0".
        if (Double.isNaN(v) || v == Double.POSITIVE_INFINITY) {
          return "Invalid scalar resource: value is not finite";
        }
        if (v != 0 && Math.round(v * 1000) <= 0) {
          return "Invalid scalar resource: value <= 0";
        }
      }
      case RANGES -> {
        if (r.hasScalar() || !r.hasRanges() || r.hasSet()) {
          return "Invalid ranges resource";
        }
        List<Protos.Value.Range> ranges = r.getRanges().getRangeList();
        for (int i = 0; i < ranges.size(); i++) {
          Protos.Value.Range a = ranges.get(i);
          if (a.getBegin() > a.getEnd()) {
            return "Invalid ranges resource: begin > end";
          }
          for (int j = i + 1; j < ranges.size(); j++) {
            Protos.Value.Range b = ranges.get(j);
            if (a.getBegin() <= b.getEnd() && b.getBegin() <= a.getEnd()) {
              return "Invalid ranges resource: overlapping ranges";
            }
          }
        }
      }
      case SET -> {
        if (r.hasScalar() || r.hasRanges() || !r.hasSet()) {
          return "Invalid set resource";
        }
        Set<String> items = new HashSet<>();
        for (String item : r.getSet().getItemList()) {
          if (!items.add(item)) {
            return "Invalid set resource: duplicated elements";
          }
        }
      }
      default -> {
        return "Unsupported resource type";
      }
    }
    return null;
  }

  /**
   * Mesos' offer checks of an ACCEPT, in its order and words: some offer, no offer twice, every
   * offer outstanding and this framework's, one allocation role, one agent. Null when valid.
   *
   * @param frameworkId the framework that accepts
   * @param ids the offers it accepts
   * @param offers the master's outstanding offers by id (read under the master's lock)
   */
  static String offers(String frameworkId, List<Protos.OfferID> ids,
      Map<String, LocalMaster.OfferEntry> offers) {
    if (ids.isEmpty()) {
      return "No offers specified";
    }
    Set<String> seen = new HashSet<>();
    for (Protos.OfferID id : ids) {
      if (!seen.add(id.getValue())) {
        return "Duplicate offer " + id.getValue() + " in offer list";
      }
    }
    for (Protos.OfferID id : ids) {
      if (!offers.containsKey(id.getValue())) {
        return "Offer " + id.getValue() + " is no longer valid";
      }
    }
    for (Protos.OfferID id : ids) {
      LocalMaster.OfferEntry offer = offers.get(id.getValue());
      if (!offer.frameworkId().equals(frameworkId)) {
        return "Offer " + id.getValue() + " has invalid framework " + offer.frameworkId()
            + " while framework " + frameworkId + " is expected";
      }
    }
    LocalMaster.OfferEntry first = offers.get(ids.get(0).getValue());
    for (Protos.OfferID id : ids) {
      LocalMaster.OfferEntry offer = offers.get(id.getValue());
      if (!offer.role().equals(first.role())) {
        return "Aggregated offers must be allocated to the same role. Offer " + id.getValue()
            + " uses role '" + offer.role() + "' but another is using role '" + first.role()
            + "'";
      }
    }
    for (Protos.OfferID id : ids) {
      LocalMaster.OfferEntry offer = offers.get(id.getValue());
      if (!offer.agentId().equals(first.agentId())) {
        return "Aggregated offers must belong to one single agent. Offer " + id.getValue()
            + " uses agent " + offer.agentId() + " and agent " + first.agentId();
      }
    }
    return null;
  }

  /**
   * The resource check of a LAUNCH operation ({@code validateAndUpgradeResources}), which comes
   * before any task is looked at: the first invalid resource of any task or executor fails every
   * task of the operation.
   */
  static String launchResources(List<Protos.TaskInfo> tasks, Protos.ExecutorInfo groupExecutor) {
    if (groupExecutor != null) {
      String problem = resources(groupExecutor.getResourcesList());
      if (problem != null) {
        return problem;
      }
    }
    for (Protos.TaskInfo task : tasks) {
      String problem = resources(task.getResourcesList());
      if (problem == null && task.hasExecutor()) {
        problem = resources(task.getExecutor().getResourcesList());
      }
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  /**
   * {@code validation::task::validate} of one task of a LAUNCH whose resources already carry the
   * offer's allocation role, up to (not including) the check of the total against what is left
   * of the offers, which needs the master's resource arithmetic.
   */
  static String task(Protos.TaskInfo task, Books books) {
    String problem = taskItself(task, books);
    if (problem != null) {
      return problem;
    }
    if (task.hasExecutor() == task.hasCommand()) {
      return "Task should have at least one (but not both) of CommandInfo or ExecutorInfo"
          + " present";
    }
    if (task.hasExecutor()) {
      return executor(task.getExecutor(), books);
    }
    return null;
  }

  /**
   * The checks of one task of a LAUNCH_GROUP ({@code task::group::internal::validateTask}: those
   * of every task, then {@link TaskGroupValidation#task}'s), wrapped as Mesos wraps them. The
   * master has filled the group's executor into the task before, as Mesos' does.
   */
  static String groupTask(Protos.TaskInfo task, Books books) {
    String problem = taskItself(task, books);
    if (problem == null) {
      problem = TaskGroupValidation.task(task, true);
    }
    return problem == null ? null
        : "Task '" + printable(task.getTaskId().getValue()) + "' is invalid: " + problem;
  }

  /**
   * The per-task checks of a LAUNCH_GROUP, in task order; null when every task passes. Each
   * task's resources go through the master's arithmetic before the next task is checked, and
   * throw what it cannot hold (the caller answers "Task group uses invalid resources").
   *
   * @param ids collects the ids of the tasks checked
   */
  static String groupTasks(List<Protos.TaskInfo> tasks, Books books, Set<String> ids) {
    for (Protos.TaskInfo task : tasks) {
      // Tasks of one group are booked together: a repeated id is a duplicate as in a LAUNCH.
      if (!ids.add(task.getTaskId().getValue())) {
        return "Task '" + printable(task.getTaskId().getValue()) + "' is invalid: Task has"
            + " duplicate ID: " + task.getTaskId().getValue();
      }
      String problem = groupTask(task, books);
      if (problem != null) {
        return problem;
      }
      ProtoResources.toResources(task.getResourcesList());
    }
    return null;
  }

  /** Every executor: its id is an ID, its grace not negative, its framework the framework. */
  static String executorIdentity(Protos.ExecutorInfo executor, Books books) {
    String problem = id(executor.getExecutorId().getValue());
    if (problem != null) {
      return problem;
    }
    if (executor.hasShutdownGracePeriod()
        && executor.getShutdownGracePeriod().getNanoseconds() < 0) {
      return "ExecutorInfo's 'shutdown_grace_period' must be non-negative";
    }
    if (!executor.getFrameworkId().getValue().equals(books.frameworkId())) {
      return "ExecutorInfo has an invalid FrameworkID (Actual: "
          + executor.getFrameworkId().getValue() + " vs Expected: " + books.frameworkId() + ")";
    }
    return null;
  }

  /** {@code validateTask}: what Mesos checks of a task before its executor. */
  private static String taskItself(Protos.TaskInfo task, Books books) {
    String problem = id(task.getTaskId().getValue());
    if (problem != null) {
      return problem;
    }
    if (books.hasTask(task.getTaskId().getValue())) {
      return "Task has duplicate ID: " + task.getTaskId().getValue();
    }
    if (!task.getAgentId().getValue().equals(books.agentId())) {
      return "Task uses invalid agent " + task.getAgentId().getValue() + " while agent "
          + books.agentId() + " is expected";
    }
    if (task.hasKillPolicy() && task.getKillPolicy().hasGracePeriod()
        && task.getKillPolicy().getGracePeriod().getNanoseconds() < 0) {
      return "Task's 'kill_policy.grace_period' must be non-negative";
    }
    if (task.hasMaxCompletionTime() && task.getMaxCompletionTime().getNanoseconds() < 0) {
      return "Task's `max_completion_time` must be non-negative";
    }
    if (task.getResourcesCount() == 0) {
      return "Task uses no resources";
    }
    problem = gpus(task.getResourcesList());
    if (problem != null) {
      return "Task uses invalid resources: " + problem;
    }
    problem = singleAllocationRole(task.getResourcesList());
    if (problem != null) {
      return "Invalid task resources: " + problem;
    }
    return null;
  }

  private static String executor(Protos.ExecutorInfo executor, Books books) {
    if (executor.getType() == Protos.ExecutorInfo.Type.DEFAULT && executor.hasCommand()) {
      return "'ExecutorInfo.command' must not be set for 'DEFAULT' executor";
    }
    if (executor.getType() == Protos.ExecutorInfo.Type.CUSTOM && !executor.hasCommand()) {
      return "'ExecutorInfo.command' must be set for 'CUSTOM' executor";
    }
    String problem = executorIdentity(executor, books);
    if (problem != null) {
      return problem;
    }
    problem = gpus(executor.getResourcesList());
    if (problem != null) {
      return "Executor uses invalid resources: " + problem;
    }
    problem = singleAllocationRole(executor.getResourcesList());
    if (problem != null) {
      return "Invalid executor resources: " + problem;
    }
    problem = incompatible(executor, books);
    if (problem != null) {
      return problem;
    }
    if (executor.hasType() && executor.getType() != Protos.ExecutorInfo.Type.CUSTOM) {
      return "'ExecutorInfo.type' must be 'CUSTOM'";
    }
    if (!executor.hasCommand()) {
      return "'ExecutorInfo.command' must be set";
    }
    return null;
  }

  /** Null unless an executor of this id runs on the agent with another ExecutorInfo. */
  static String incompatible(Protos.ExecutorInfo executor, Books books) {
    Protos.ExecutorInfo existing = books.executor(executor.getExecutorId().getValue());
    if (existing == null || existing.equals(executor)) {
      return null;
    }
    String line = "------------------------------------------------------------\n";
    return "ExecutorInfo is not compatible with existing ExecutorInfo with same ExecutorID.\n"
        + line + "Existing ExecutorInfo:\n" + TextFormat.printer().printToString(existing)
        + "\n" + line + "ExecutorInfo:\n" + TextFormat.printer().printToString(executor)
        + "\n" + line;
  }

  /** Mesos' message when the task and its (new) executor need more than the offers have left. */
  static String moreThanAvailable(List<Protos.Resource> total, List<Protos.Resource> available) {
    return "Total resources " + MesosText.resources(total) + " required by task and its executor"
        + " is more than available " + MesosText.resources(available);
  }

  /** The same for a task group, in Mesos' words for it. */
  static String groupMoreThanAvailable(List<Protos.Resource> total,
      List<Protos.Resource> available) {
    return "Total resources " + MesosText.resources(total) + " required by task group and its"
        + " executor are more than available " + MesosText.resources(available);
  }

  private static String gpus(List<Protos.Resource> resources) {
    double gpus = 0;
    for (Protos.Resource r : resources) {
      if (r.getName().equals("gpus") && r.getType() == Protos.Value.Type.SCALAR) {
        gpus += r.getScalar().getValue();
      }
    }
    if (((long) (gpus * 1000.0)) % 1000 != 0) {
      return "Invalid 'gpus' resource: The 'gpus' resource must be an unsigned integer";
    }
    return null;
  }

  private static String singleAllocationRole(List<Protos.Resource> resources) {
    String role = null;
    for (Protos.Resource r : resources) {
      if (!r.hasAllocationInfo() || !r.getAllocationInfo().hasRole()) {
        return "The resources are not allocated to a role";
      }
      String other = r.getAllocationInfo().getRole();
      if (role == null) {
        role = other;
      } else if (!role.equals(other)) {
        return "The resources have multiple allocation roles ('" + other + "' and '" + role
            + "') but only one allocation role is allowed";
      }
    }
    return null;
  }
}
