/**
 * Chapter 7, failures: retries, reconciliation, failover, and what each task state means to you.
 *
 * <p>In a cluster, things fail all the time: commands exit non-zero, agents die or drop off the
 * network, the master fails over, your scheduler restarts. MesosKit promises one thing: every task
 * you submit ends in exactly one outcome you can see, {@code FINISHED}, {@code FAILED},
 * {@code KILLED} or {@code ERROR}, and no attempt you no longer want keeps running unseen.
 *
 * <h2>Retries</h2>
 * <p>An attempt that fails, or is lost with its agent, is retried under the task's
 * {@link dev.mesoskit.core.RetryPolicy} (the spec's, else the framework's): at most
 * {@code maxAttempts} attempts in all, with exponential backoff between them, each delay cut by a
 * random fraction of up to {@code jitter} so that tasks failing together do not return together.
 * The default is 3 attempts, 1 s doubling up to 1 min, 20% jitter. Tasks Mesos found invalid or
 * unauthorized are never retried, nor are tasks whose executor handler threw a
 * {@link dev.mesoskit.core.executor.PermanentFailure}. {@link dev.mesoskit.tutorial.chapter7.Failures}
 * runs four tasks that end four ways:
 * <!-- region: docs/src/main/java/dev/mesoskit/tutorial/chapter7/Failures.java#retries -->
 * <pre>{@code
 * RetryPolicy retries = RetryPolicy.builder()
 *     .maxAttempts(3)                                  // in all, the first one included
 *     .initialBackoff(Duration.ofMillis(200))          // then 400 ms, each minus up to 20%
 *     .maxBackoff(Duration.ofSeconds(5))
 *     .build();
 * try (Framework framework = Framework.builder()
 *     .name("failures")
 *     .backend(Backends.fromArgs(args))
 *     .retryPolicy(retries)
 *     .frameworkIdStore(FrameworkIdStore.inMemory())
 *     .listener(task -> out.println(task.name() + " attempt " + task.attempt() + " "
 *         + task.state() + (task.done() ? " (outcome)" : "")
 *         + task.message().map(m -> ": " + m).orElse("")))
 *     .build()) {
 *   framework.start();
 *   TaskId flaky = framework.submit(task("flaky",
 *       "if [ -e " + marker + " ]; then exit 0; else touch " + marker + "; exit 1; fi"));
 *   TaskId broken = framework.submit(task("broken", "exit 3"));
 *   TaskId endless = framework.submit(task("endless", "sleep 600"));
 *   TaskId tooBig = framework.submit(TaskSpec.builder()
 *       .name("too-big").resources("cpus:1000;mem:32").command("true").build());
 *   framework.outcome(flaky).join();
 *   framework.outcome(broken).join();
 *   awaitState(framework, endless, TaskState.RUNNING);
 *   out.println("too-big waits: " + framework.task(tooBig).orElseThrow().message().orElse("?"));
 *   framework.kill(endless);                           // KILLED, never retried
 *   framework.kill(tooBig);                            // still PENDING: killed without a launch
 *   List<Task> ended = List.of(framework.outcome(flaky).join(), framework.outcome(broken).join(),
 *       framework.outcome(endless).join(), framework.outcome(tooBig).join());
 *   framework.finish();
 *   framework.awaitTermination();
 *   return ended;
 * }
 * }</pre>
 *
 * <h2>Lost agents</h2>
 * <p>When an agent is removed, its tasks end their attempt as {@code GONE_BY_OPERATOR} (or
 * {@code GONE}, {@code LOST}); MesosKit counts the attempt and launches the next one elsewhere.
 * The test that removes an agent from under a running task:
 * <!-- region: docs/src/test/java/dev/mesoskit/tutorial/TutorialProgramsIT.java#agent-lost -->
 * <pre>{@code
 * try (Framework framework = Framework.builder()
 *     .name("survivor")
 *     .backend(Backends.fromArgs("--master=" + own.masterAddress()))
 *     .frameworkIdStore(FrameworkIdStore.inMemory())
 *     .listener(changes::add)
 *     .build()) {
 *   framework.start();
 *   TaskId id = framework.submit(TaskSpec.builder()
 *       .name("long").resources("cpus:0.1;mem:32").command("sleep 2").build());
 *   String agent = awaitRunning(framework, id).agentId().orElseThrow();
 *   own.removeAgent(agent);                 // the agent is gone: attempt 1 ends, attempt 2 runs
 *   Task outcome = framework.outcome(id).join();
 *   assertThat(outcome.state()).isEqualTo(TaskState.FINISHED);
 *   assertThat(outcome.attempt()).isEqualTo(2);
 *   assertThat(outcome.agentId()).isPresent().get().isNotEqualTo(agent);
 * }
 * }</pre>
 * <p>An agent cut off by the network is different: its tasks become {@code UNREACHABLE} but may
 * still run. MesosKit launches a replacement, and if the old attempt comes back it kills it, so
 * only one copy stays.
 *
 * <h2>Reconciliation</h2>
 * <p>Status updates can be lost on the way, and a master that fails over knows only what its
 * agents re-register with. So after every subscription (the first one, and every re-subscription
 * after a dropped connection or a master failover) the framework asks the master about every task
 * it believes is not done (<em>explicit</em> reconciliation), asking again with a backoff from 1 s
 * to 1 min until each has answered, and every 10 min it asks about all of them at once
 * (<em>implicit</em> reconciliation). Answers are status updates like any other. Mesos delivers
 * updates at least once and out of order across failover; MesosKit applies them idempotently and
 * ignores updates older than what it knows. Answers of {@code UNKNOWN} (the master never heard of
 * the task) end the attempt, which is then retried.
 *
 * <h2>Failover of the scheduler</h2>
 * <p>With the framework id in a {@link dev.mesoskit.core.spi.FrameworkIdStore} and a failover
 * timeout longer than the restart (chapter 6), a restarted scheduler subscribes as the same
 * framework. It does not remember the tasks: submit them again with the <em>same task ids</em>
 * ({@code TaskSpec.builder().id(...)}). A resubmitted task is held back until reconciliation says
 * whether it still runs: a running task is adopted (no second launch), one that finished while
 * no scheduler ran ends FINISHED at once (its work is done), and one that is gone or failed is
 * launched again. The test:
 * <!-- region: docs/src/test/java/dev/mesoskit/tutorial/TutorialProgramsIT.java#failover -->
 * <pre>{@code
 * try (Framework restarted = Framework.builder()
 *     .name("reports")
 *     .backend(Backends.fromArgs(master))
 *     .frameworkIdStore(store)                  // holds the id of the first run
 *     .listener(changes::add)
 *     .build()) {
 *   restarted.start();                          // subscribes with that id, then reconciles
 *   TaskId id = restarted.submit(spec);         // same task id: adopted, not launched again
 *   Task outcome = restarted.outcome(id).join();
 *   assertThat(outcome.state()).isEqualTo(TaskState.FINISHED);
 *   assertThat(outcome.attempt()).isEqualTo(1);
 *   assertThat(restarted.frameworkId()).contains(firstId);
 *   restarted.finish();
 *   restarted.awaitTermination();
 * }
 * }</pre>
 * <p>If the master sends {@code ERROR} (another scheduler took the framework id over, or the
 * framework was removed), the framework stops and {@code awaitTermination()} throws. A listener
 * that throws also stops the framework: the exception is logged with the task id and rethrown from
 * {@code awaitTermination()}.
 *
 * <h2>What each state means to you</h2>
 * <table class="striped">
 * <caption>Task states (Mesos' name in brackets)</caption>
 * <thead><tr><th scope="col">State</th><th scope="col">What it means</th>
 *   <th scope="col">What MesosKit does</th></tr></thead>
 * <tbody>
 * <tr><th scope="row">{@code PENDING}</th><td>Waiting for an offer that fits, or for the backoff
 *   before the next attempt. The message says why it does not fit.</td><td>Packs it when offers
 *   come; revives offers if it suppressed them.</td></tr>
 * <tr><th scope="row">{@code STAGING} ({@code TASK_STAGING})</th><td>Launched; the agent is
 *   fetching files and starting the executor.</td><td>Waits.</td></tr>
 * <tr><th scope="row">{@code STARTING}, {@code RUNNING}</th><td>The executor started it; it
 *   runs.</td><td>Waits; reconciles it after every subscription.</td></tr>
 * <tr><th scope="row">{@code KILLING}</th><td>The executor is stopping it, within its grace
 *   period.</td><td>Waits for the ending.</td></tr>
 * <tr><th scope="row">{@code FINISHED}</th><td>Outcome: it exited 0 or its handler
 *   returned.</td><td>Done.</td></tr>
 * <tr><th scope="row">{@code FAILED}</th><td>The attempt failed (non-zero exit, a thrown
 *   exception, the executor died). As an outcome: it failed on every attempt, or failed
 *   permanently.</td><td>Retries under the policy, else the outcome.</td></tr>
 * <tr><th scope="row">{@code KILLED}</th><td>Outcome: you killed it.</td><td>Never
 *   retried.</td></tr>
 * <tr><th scope="row">{@code ERROR}</th><td>Outcome: Mesos refused the task description
 *   ({@code TASK_ERROR}).</td><td>Never retried: the spec must change.</td></tr>
 * <tr><th scope="row">{@code LOST}, {@code DROPPED}, {@code GONE},
 *   {@code GONE_BY_OPERATOR}</th><td>The attempt is over without an exit status: its agent
 *   failed or was removed, or the launch never reached it.</td><td>Counts the attempt;
 *   retries.</td></tr>
 * <tr><th scope="row">{@code UNREACHABLE}</th><td>Its agent is partitioned away; it may still
 *   run.</td><td>Counts the attempt, launches a replacement, kills the old attempt if it comes
 *   back.</td></tr>
 * <tr><th scope="row">{@code UNKNOWN}</th><td>The master does not know the attempt (asked by
 *   reconciliation).</td><td>Counts the attempt; retries.</td></tr>
 * </tbody>
 * </table>
 *
 * <h2>Run it</h2>
 * <pre>
 * java -cp docs/target/tutorial.jar dev.mesoskit.tutorial.chapter7.Failures --master=local
 * </pre>
 * <p>It printed this in about 6 s, and exited 0 (updates of different tasks interleave
 * differently from run to run):
 * <pre>
 * flaky attempt 1 PENDING
 * broken attempt 1 PENDING
 * endless attempt 1 PENDING
 * too-big attempt 1 PENDING
 * flaky attempt 1 STAGING
 * broken attempt 1 STAGING
 * endless attempt 1 STAGING
 * flaky attempt 1 STARTING
 * endless attempt 1 STARTING
 * broken attempt 1 STARTING
 * flaky attempt 1 RUNNING
 * endless attempt 1 RUNNING
 * broken attempt 1 RUNNING
 * flaky attempt 1 FAILED: Command exited with status 1
 * flaky attempt 2 PENDING: attempt 1 ended TASK_FAILED: Command exited with status 1; attempt 2 of 3 after 169 ms
 * broken attempt 1 FAILED: Command exited with status 3
 * broken attempt 2 PENDING: attempt 1 ended TASK_FAILED: Command exited with status 3; attempt 2 of 3 after 162 ms
 * flaky attempt 2 STAGING
 * broken attempt 2 STAGING
 * flaky attempt 2 STARTING
 * broken attempt 2 STARTING
 * flaky attempt 2 RUNNING
 * broken attempt 2 RUNNING
 * flaky attempt 2 FINISHED (outcome): Command exited with status 0
 * broken attempt 2 FAILED: Command exited with status 3
 * broken attempt 3 PENDING: attempt 2 ended TASK_FAILED: Command exited with status 3; attempt 3 of 3 after 364 ms
 * broken attempt 3 STAGING
 * broken attempt 3 STARTING
 * broken attempt 3 RUNNING
 * broken attempt 3 FAILED (outcome): failed after 3 attempts: TASK_FAILED: Command exited with status 3
 * too-big waits: needs cpus 1000, the largest offer has 2
 * too-big attempt 1 KILLED (outcome): killed on request before launch
 * endless attempt 1 KILLING
 * endless attempt 1 KILLED (outcome): Command terminated with signal Terminated
 * </pre>
 */
package dev.mesoskit.tutorial.chapter7;
