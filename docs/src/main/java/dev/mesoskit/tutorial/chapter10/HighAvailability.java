package dev.mesoskit.tutorial.chapter10;

import dev.mesoskit.core.Backends;
import dev.mesoskit.core.Framework;
import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskListener;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.zookeeper.ZooKeeperHa;
import dev.mesoskit.local.LocalCluster;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Chapter 10's program: two scheduler instances of one framework in one JVM, elected through
 * ZooKeeper and sharing its state store. The first leads and launches three tasks; the program
 * then ends its leadership the way ZooKeeper does when a session expires (the instance's
 * election node goes); the second instance is elected, recovers the three tasks and sees them
 * finish.
 *
 * <pre>
 * java -cp docs/target/tutorial.jar dev.mesoskit.tutorial.chapter10.HighAvailability --master=local --zk=zk://127.0.0.1:2181/mesoskit/ha
 * </pre>
 */
public final class HighAvailability {
  private HighAvailability() {}

  /**
   * Runs the failover and exits 0.
   *
   * @param args {@code --master=...} (default {@code local}: one local cluster for both
   *     instances) and {@code --zk=zk://host:port/path} (required)
   * @throws Exception when ZooKeeper or the master cannot be reached, or the failover fails
   */
  public static void main(String[] args) throws Exception {
    run(System.out, args);
    System.exit(0);
  }

  /**
   * Runs two instances, ends the first one's leadership and lets the second finish the tasks.
   *
   * @param out where the instances' progress and the outcomes are printed
   * @param args {@code --master=...} and {@code --zk=...}, as {@link #main}
   * @return the outcomes of the tasks, as the second instance saw them, by name
   * @throws Exception when ZooKeeper or the master cannot be reached, or the failover fails
   */
  public static List<Task> run(PrintStream out, String... args) throws Exception {
    String master = option(args, "--master", "local");
    String zk = option(args, "--zk", null);
    if (zk == null) {
      throw new IllegalArgumentException("--zk is required, e.g. --zk=zk://127.0.0.1:2181/ha");
    }
    if (!master.equals("local")) {
      return failover(out, master, zk);
    }
    try (LocalCluster local = LocalCluster.builder().start()) {  // one cluster for both
      return failover(out, local.masterAddress(), zk);
    }
  }

  @SuppressWarnings("try") // the first instance is closed early, on purpose: it steps down
  private static List<Task> failover(PrintStream out, String master, String zk) throws Exception {
    Set<String> running = ConcurrentHashMap.newKeySet();
    CountDownLatch launched = new CountDownLatch(3);
    List<String> finished = new ArrayList<>();
    TaskListener listener = task -> {
      if (task.state() == TaskState.RUNNING && running.add(task.name())) {
        launched.countDown();
      } else if (task.state() == TaskState.FINISHED) {
        synchronized (finished) {
          finished.add(task.name());
        }
      }
    };
    try (ZooKeeperHa ha1 = ZooKeeperHa.builder().url(zk).instance("scheduler-1").connect();
         ZooKeeperHa ha2 = ZooKeeperHa.builder().url(zk).instance("scheduler-2").connect();
         Framework first = instance(ha1, master, listener);
         Framework second = instance(ha2, master, listener)) {
      // tutorial:begin lead
      first.start();
      first.awaitLeadership(Duration.ofSeconds(30));
      second.start();                                  // returns at once: it stands by
      out.println("scheduler-1 leads: " + first.leading()
          + ", scheduler-2 leads: " + second.leading());
      // tutorial:end lead
      for (int n = 1; n <= 3; n++) {
        first.submit(sleeper("sleep-" + n));
      }
      launched.await(60, TimeUnit.SECONDS);
      out.println("scheduler-1 runs " + running.stream().sorted().toList());
      // tutorial:begin stepdown
      first.close();  // steps down: leaves the election, lets the store go; tasks keep running
      out.println("scheduler-1 stepped down, leads: " + first.leading());
      // tutorial:end stepdown
      // tutorial:begin takeover
      second.awaitLeadership(Duration.ofSeconds(60));  // elected, tasks recovered
      List<Task> recovered = second.tasks().stream()
          .sorted(Comparator.comparing(Task::name)).toList();
      for (Task task : recovered) {
        out.println("scheduler-2 recovered " + task.name() + ", attempt " + task.attempt());
      }
      // tutorial:end takeover
      List<Task> outcomes = new ArrayList<>();
      for (Task task : recovered) {
        Task outcome = second.outcome(task.id()).join();
        outcomes.add(outcome);
        out.println(outcome.name() + " " + outcome.state() + " after " + outcome.attempt()
            + " attempt(s)");
      }
      second.finish();
      second.awaitTermination();
      synchronized (finished) {
        out.println("FINISHED heard for " + finished.stream().sorted().toList());
      }
      return outcomes;
    }
  }

  // tutorial:begin instance
  private static Framework instance(ZooKeeperHa ha, String master, TaskListener listener) {
    return Framework.builder()
        .name("ha")
        .backend(Backends.fromArgs("--master=" + master))
        .leaderElection(ha.election())   // subscribes only once elected
        .stateStore(ha.stateStore())     // the framework id and every task, in ZooKeeper
        .listener(listener)
        .build();
  }
  // tutorial:end instance

  private static TaskSpec sleeper(String name) {
    return TaskSpec.builder().id(name).name(name).resources("cpus:0.1;mem:32").command("sleep 5")
        .build();
  }

  private static String option(String[] args, String name, String fallback) {
    for (String arg : args) {
      if (arg.startsWith(name + "=")) {
        return arg.substring(name.length() + 1);
      }
    }
    return fallback;
  }
}
