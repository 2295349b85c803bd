package dev.mesoskit.local;

import com.google.gson.JsonObject;
import dev.mesoskit.core.Resources;
import dev.mesoskit.local.LocalMaster.AgentEntry;
import dev.mesoskit.local.LocalMaster.ExecutorEntry;
import dev.mesoskit.local.LocalMaster.FrameworkEntry;
import dev.mesoskit.local.LocalMaster.TaskEntry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.master.Protos.Response;

/**
 * {@code GET /metrics/snapshot} of the master and of an agent: every key a Mesos 1.12 master
 * (300 with one framework) or agent (68) reports, each with a JSON float value. Values
 * LocalCluster knows (frameworks, tasks by state, agents, resources, uptime, the host's load and
 * memory) are real; the others (allocator timings, registrar, operations, message counters) are
 * 0.0.
 *
 * <p>Threading: stateless; reads the books under the master's (or agent's) lock.
 */
final class MetricsSnapshot {
  private static final List<String> MASTER_KEYS = keys("master-metrics.txt");
  private static final List<String> AGENT_KEYS = keys("agent-metrics.txt");
  private static final String FRAMEWORK_PREFIX = "master/frameworks/<framework-name>/<framework-id>/";

  private MetricsSnapshot() {}

  private static List<String> keys(String resource) {
    List<String> out = new ArrayList<>();
    try (InputStream in = MetricsSnapshot.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (!line.isBlank()) {
          out.add(line.strip());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return List.copyOf(out);
  }

  /** The master's snapshot. */
  static JsonObject master(LocalMaster master) {
    Map<String, Double> m = new TreeMap<>();
    List<String> perFramework = new ArrayList<>();
    for (String key : MASTER_KEYS) {
      if (key.startsWith(FRAMEWORK_PREFIX)) {
        perFramework.add(key.substring(FRAMEWORK_PREFIX.length()));
      } else {
        m.put(key, 0.0);
      }
    }
    synchronized (master) {
      for (FrameworkEntry fw : master.frameworks.values()) {
        String prefix = "master/frameworks/" + fw.info.getName() + "/" + fw.id().getValue() + "/";
        perFramework.forEach(k -> m.put(prefix + k, 0.0));
        boolean connected = fw.stream != null;
        add(m, "master/frameworks_active", connected ? 1 : 0);
        add(m, "master/frameworks_connected", connected ? 1 : 0);
        add(m, "master/frameworks_disconnected", connected ? 0 : 1);
        add(m, "master/frameworks_inactive", connected ? 0 : 1);
        for (TaskEntry t : fw.tasks.values()) {
          add(m, "master/" + stateKey(t.state), 1);
        }
      }
      for (Protos.Task t : master.history.completedTasks()) {
        add(m, "master/" + stateKey(t.getState()), 1);
      }
      Resources total = Resources.empty();
      Resources free = Resources.empty();
      for (AgentEntry a : master.agents.values()) {
        if (a.gone) {
          continue;
        }
        add(m, a.reachable ? "master/slaves_active" : "master/slaves_unreachable", 1);
        add(m, "master/slaves_connected", a.reachable ? 1 : 0);
        total = total.plus(a.total);
        free = free.plus(a.free);
      }
      Resources offered = Resources.empty();
      for (LocalMaster.OfferEntry o : master.offers.values()) {
        offered = offered.plus(ProtoResources.unallocated(o.resources()));
      }
      m.put("master/outstanding_offers", (double) master.offers.size());
      for (String r : List.of("cpus", "mem", "disk", "gpus")) {
        double all = total.scalar(r);
        double used = Math.max(0, all - free.scalar(r) - offered.scalar(r));
        m.put("master/" + r + "_total", all);
        m.put("master/" + r + "_used", used);
        m.put("master/" + r + "_percent", all == 0 ? 0.0 : used / all);
        if (!r.equals("gpus")) {
          m.put("allocator/mesos/resources/" + r + "/total", all);
          m.put("allocator/mesos/resources/" + r + "/offered_or_allocated",
              Math.max(0, all - free.scalar(r)));
        }
      }
    }
    m.put("master/elected", 1.0);
    m.put("master/uptime_secs", seconds(master.startedAt));
    system(m);
    return json(m);
  }

  /** An agent's snapshot. */
  static JsonObject agent(LocalAgent agent, Instant startedAt) {
    Map<String, Double> m = new TreeMap<>();
    AGENT_KEYS.forEach(k -> m.put(k, 0.0));
    Resources total = ProtoResources.toResources(agent.resources());
    Resources used = Resources.empty();
    synchronized (agent) {
      m.put("slave/frameworks_active", (double) agent.frameworks.size());
      m.put("slave/executors_running", (double) agent.containers.size());
      for (Container c : agent.containers.values()) {
        used = used.plus(ProtoResources.toResources(c.executor.getResourcesList()));
        for (Protos.TaskInfo t : c.launched.values()) {
          used = used.plus(ProtoResources.toResources(t.getResourcesList()));
        }
      }
      for (Protos.TaskStatus s : agent.latest.values()) {
        add(m, "slave/" + stateKey(s.getState()), 1);
      }
    }
    for (String r : List.of("cpus", "mem", "disk", "gpus")) {
      double all = total.scalar(r);
      double inUse = Math.min(all, used.scalar(r));
      m.put("slave/" + r + "_total", all);
      m.put("slave/" + r + "_used", inUse);
      m.put("slave/" + r + "_percent", all == 0 ? 0.0 : inUse / all);
    }
    m.put("slave/registered", 1.0);
    m.put("slave/uptime_secs", seconds(startedAt));
    m.put("slave/executor_directory_max_allowed_age_secs",
        (double) agent.config.gcDelay().toSeconds());
    system(m);
    return json(m);
  }

  /** A snapshot as GET_METRICS answers it. */
  static Response.GetMetrics asResponse(JsonObject snapshot) {
    Response.GetMetrics.Builder out = Response.GetMetrics.newBuilder();
    snapshot.entrySet().forEach(e -> out.addMetrics(Protos.Metric.newBuilder()
        .setName(e.getKey()).setValue(e.getValue().getAsDouble())));
    return out.build();
  }

  private static String stateKey(Protos.TaskState state) {
    String name = state.name().toLowerCase(java.util.Locale.ROOT);
    return "tasks_" + name.substring("task_".length());
  }

  private static void add(Map<String, Double> m, String key, double value) {
    if (m.containsKey(key)) {
      m.put(key, m.get(key) + value);
    }
  }

  private static double seconds(Instant since) {
    return Duration.between(since, Instant.now()).toMillis() / 1000.0;
  }

  @SuppressWarnings("deprecation") // getTotalPhysicalMemorySize: the name Java 17 still has
  private static void system(Map<String, Double> m) {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    m.put("system/cpus_total", (double) os.getAvailableProcessors());
    double load = Math.max(0, os.getSystemLoadAverage());
    m.put("system/load_1min", load);
    m.put("system/load_5min", load);
    m.put("system/load_15min", load);
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      m.put("system/mem_total_bytes", (double) sun.getTotalPhysicalMemorySize());
      m.put("system/mem_free_bytes", (double) sun.getFreePhysicalMemorySize());
    }
  }

  /** Every value a JSON float: {@code 1.0}, never {@code 1}. */
  private static JsonObject json(Map<String, Double> m) {
    JsonObject o = new JsonObject();
    m.forEach((k, v) -> o.addProperty(k, MesosJson.jsonFloat(v)));
    return o;
  }
}
