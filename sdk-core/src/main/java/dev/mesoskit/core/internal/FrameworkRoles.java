package dev.mesoskit.core.internal;

import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.spi.FrameworkInfo;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes the framework's roles while it runs: sends UPDATE_FRAMEWORK with the current
 * information and the new roles (or keeps them for SUBSCRIBE, or for the next subscription), then
 * lets pending tasks of the new roles be placed and ends, FAILED, pending tasks whose role was
 * removed ({@code "role web was removed from the framework"}). Launched tasks of a removed role
 * keep running; a held task (a failing-over run waits for the master's answer about it) is judged
 * when it is released, as any task that becomes placeable.
 *
 * <p>Threading: {@link #change} on any thread; the rest on the event thread.
 */
final class FrameworkRoles {
  /** Logs as the runtime: users configure that logger name. */
  private static final Logger log = LoggerFactory.getLogger(FrameworkRuntime.class);

  private final RuntimeConfig config;
  private final FrameworkRuntime runtime;
  private final EventLoop loop;
  private final CurrentInfo current;
  private final TaskStateMachine stateMachine;
  private final OfferRound offerRound;

  FrameworkRoles(RuntimeConfig config, FrameworkRuntime runtime, EventLoop loop,
      CurrentInfo current, TaskStateMachine stateMachine, OfferRound offerRound) {
    this.config = config;
    this.runtime = runtime;
    this.loop = loop;
    this.current = current;
    this.stateMachine = stateMachine;
    this.offerRound = offerRound;
  }

  /**
   * Changes the roles: at once with UPDATE_FRAMEWORK when subscribed, else at the (next)
   * subscription. Any thread.
   *
   * @param roles at least one, non-blank, distinct (checked by the caller)
   * @throws IllegalStateException naming the backend when it cannot update a framework
   */
  void change(List<String> roles) {
    FrameworkInfo[] before = new FrameworkInfo[1];
    FrameworkInfo after;
    try {
      after = current.update(info -> {
        before[0] = info;
        return info.roles(roles);
      });
    } catch (UnsupportedOperationException e) {
      throw new IllegalStateException("backend " + config.backend().getClass().getSimpleName()
          + " cannot change the roles of framework " + config.info().name() + " to " + roles
          + ": " + e.getMessage(), e);
    }
    log.info("framework roles changed name={} roles={} before={}{}", after.name(),
        after.roles(), before[0].roles(),
        current.subscribed() ? "" : " (sent when subscribed)");
    loop.enqueue(() -> changed(after));
  }

  /** The roles changed: pending tasks are seen with their new roles, or end if theirs is gone. */
  private void changed(FrameworkInfo after) {
    for (TaskRecord r : runtime.records()) {
      if (!r.done) {
        r.pendingTask = null; // its role, or whether that is the default, may have changed
      }
    }
    for (TaskId id : List.copyOf(runtime.pending())) {
      TaskRecord r = runtime.record(id);
      if (r == null || r.done || r.held || r.heldAnswer != null) {
        continue; // a held task is judged when released: it may run already
      }
      String why = TaskRoles.removed(r.spec, after);
      if (why != null) {
        log.info("pending task ends, its role is gone task={} cause={}", r.id, why);
        stateMachine.roleRemoved(r, why);
      }
    }
    offerRound.wantOffers();
  }
}
