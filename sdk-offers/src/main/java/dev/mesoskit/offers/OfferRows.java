package dev.mesoskit.offers;

import dev.mesoskit.core.Offer;
import dev.mesoskit.core.Resource;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.spi.AllocationRoles;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a {@link Packer} read from each offer of its last pass, by offer id, so that a pass reads
 * only the offers that are new to it: an offer the framework holds is the same in every pass
 * until it is accepted, declined or rescinded, and what an agent has left after that comes back
 * in a new offer, with a new id. A row is used for an offer only when the offer is the one it
 * was read from (the same object, or an equal one); a row whose offer is not in a pass is dropped
 * at the end of that pass, so nothing read from an offer outlives it or reaches a pass it is not
 * in.
 *
 * <p>A row holds what does not depend on the pass' tasks: the offer's resources split by
 * allocation role, its agent, hostname, executors and attributes with its fault domain, and per
 * part the free amounts of the {@link OfferTable#BASE} dimensions and the free ports as
 * {@link OfferTable#load} reads them, so that a pass builds the bin of an offer it knows from the
 * row alone.
 * Used by the event thread only, like its packer.
 */
final class OfferRows {
  /** One offer, read. */
  static final class Row {
    final Offer offer;
    /** The offer's allocation roles, in {@link AllocationRoles#split}'s order: its parts. */
    final Optional<String>[] roles;
    /** The offer's resources of each part. */
    final Resources[] pools;
    /** The offer's attributes, with its agent's fault domain. */
    final Map<String, String> attributes;
    /** The offer's agent, its hostname and the executors running there. */
    final String agentId;
    final String hostname;
    final Set<String> executorIds;
    /**
     * The free amounts of the base dimensions of each part, part after part:
     * {@code amounts[part * OfferTable.BASE + dimension]}.
     */
    final long[] amounts;
    /** Per part: free ports as inclusive bounds. */
    final long[][] ports;
    /**
     * Per part: its resources of the base dimensions by dimension, or null; see
     * {@link OfferTable#slots}.
     */
    final Resource[][] slots;
    /** Whether the offer has one part: resources of one allocation role. */
    final boolean onePart;
    /**
     * The first part's allocation role, pool, resources by dimension, free ports and free
     * amounts, held in the row itself: a pass copies an offer of one part from the row without
     * reaching its arrays.
     */
    final Optional<String> role0;
    final Resources pool0;
    final Resource[] slots0;
    final long[] ports0;
    final long cpus0;
    final long mem0;
    final long disk0;
    final long gpus0;
    final long portCount0;
    /** The agent the offer is of. */
    Agent agent;
    /** The pass that last used this row; -1 before the first. */
    int seen = -1;
    /** Where the offer was in the list of that pass. */
    int position;

    @SuppressWarnings({"unchecked", "rawtypes"}) // an array of optionals
    Row(Offer offer) {
      this.offer = offer;
      Map<Optional<String>, Resources> parts = AllocationRoles.split(offer.resources());
      this.attributes = withDomain(offer);
      this.agentId = offer.agentId();
      this.hostname = offer.hostname();
      this.executorIds = offer.executorIds();
      int n = parts.size();
      roles = new Optional[n];
      pools = new Resources[n];
      amounts = new long[n * OfferTable.BASE];
      ports = new long[n][];
      slots = new Resource[n][];
      long[] read = new long[OfferTable.BASE];
      int i = 0;
      for (Map.Entry<Optional<String>, Resources> part : parts.entrySet()) {
        roles[i] = part.getKey();
        pools[i] = part.getValue();
        ports[i] = OfferTable.read(part.getValue(), read);
        slots[i] = OfferTable.slots(part.getValue());
        System.arraycopy(read, 0, amounts, i * OfferTable.BASE, OfferTable.BASE);
        i++;
      }
      onePart = n == 1;
      role0 = roles[0];
      pool0 = pools[0];
      slots0 = slots[0];
      ports0 = ports[0];
      cpus0 = amounts[0];
      mem0 = amounts[1];
      disk0 = amounts[2];
      gpus0 = amounts[3];
      portCount0 = amounts[OfferTable.PORTS];
    }
  }

  /** An agent of the remembered offers: where its first bin of the current pass is. */
  static final class Agent {
    final String id;
    /** How many remembered offers are of this agent. */
    int rows;
    /** The pass that last saw an offer of this agent, and the index of its first bin then. */
    int seen;
    int firstBin;

    Agent(String id) {
      this.id = id;
    }
  }

  private final Map<String, Row> byId = new HashMap<>();
  private final Map<String, Agent> agents = new HashMap<>();
  /** The offers of this pass counted once each. */
  private int distinct;
  /** The rows of the last pass, in the order of its offers. */
  private Row[] last = new Row[0];
  private int lastCount;
  /** The rows of this pass so far. */
  private Row[] current = new Row[0];
  private int pass;
  /** Where in the last pass the next offer probably is: after the one before it. */
  private int cursor;
  private int reads;

  /** Starts a pass over {@code count} offers. */
  void begin(int count) {
    pass++;
    cursor = 0;
    distinct = 0;
    if (current.length < count) {
      current = new Row[count];
    }
  }

  /**
   * The row of {@code offer}, the {@code i}th offer of the pass: the last pass' if the offer is
   * the one it was read from, else read now.
   *
   * @throws IllegalArgumentException if the pass listed an offer of the same id before
   */
  Row row(Offer offer, int i) {
    // The same offers mostly come in the same order: try the one after the last offer's first.
    Row r = cursor < lastCount ? last[cursor] : null;
    if (r == null || r.offer != offer) {
      r = byId.get(offer.id());
      if (r != null && r.seen == pass) {
        throw listedTwice(offer);
      }
      if (r == null || !(r.offer == offer || r.offer.equals(offer))) {
        if (r != null) {
          release(r.agent);
          // Replaced: its offer, should this pass list it too, lists the id twice.
          r.seen = pass;
        }
        r = new Row(offer);
        r.agent = agents.computeIfAbsent(offer.agentId(), Agent::new);
        r.agent.rows++;
        reads++;
        byId.put(offer.id(), r);
      }
    }
    if (r.seen == pass) {
      throw listedTwice(offer);
    }
    // The next offer probably follows this one's place in the last pass; a new offer probably
    // took the place of the one at the cursor (an agent's offer after it got tasks).
    cursor = r.seen == pass - 1 ? r.position + 1 : cursor + 1;
    r.seen = pass;
    r.position = i;
    distinct++;
    current[i] = r;
    return r;
  }

  /** Ends a pass of {@code count} offers: forgets every offer that was not in it. */
  void end(int count) {
    // The rows remembered are the last pass' and the new ones: drop those of the last pass that
    // this one did not hold.
    for (int i = 0; i < lastCount; i++) {
      Row r = last[i];
      if (r.seen != pass && byId.get(r.offer.id()) == r) {
        byId.remove(r.offer.id());
        release(r.agent);
      }
    }
    if (byId.size() != distinct) {
      // Offers of a pass that ended early (an offer listed twice, say): sweep.
      byId.values().removeIf(r -> {
        if (r.seen != pass) {
          release(r.agent);
          return true;
        }
        return false;
      });
    }
    Row[] swap = last;
    last = current;
    lastCount = count;
    current = swap;
    Arrays.fill(current, null);
  }

  /**
   * A pass that lists an offer id twice: it would count the offer's resources twice, or two
   * offers of one id (a framework accepts or declines by id), and leave these rows pointing at
   * one of them.
   */
  private static IllegalArgumentException listedTwice(Offer offer) {
    return new IllegalArgumentException("offer " + offer.id() + " is listed twice");
  }

  private void release(Agent agent) {
    if (--agent.rows == 0) {
      agents.remove(agent.id);
    }
  }

  /** How many offers were read so far: for tests. */
  int reads() {
    return reads;
  }

  /** How many offers are remembered: for tests. */
  int size() {
    return byId.size();
  }

  /** How many agents the offers remembered are of: for tests. */
  int agents() {
    return agents.size();
  }

  /** The pass under way, to tell whether an agent was seen in it. */
  int pass() {
    return pass;
  }

  private static Map<String, String> withDomain(Offer o) {
    if (o.domain().isEmpty()) {
      return o.attributes();
    }
    Map<String, String> all = new LinkedHashMap<>(o.attributes());
    all.put(Constraints.REGION, o.domain().get().region());
    all.put(Constraints.ZONE, o.domain().get().zone());
    return Map.copyOf(all);
  }
}
