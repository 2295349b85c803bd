package dev.mesoskit.local;

import java.util.List;
import java.util.TreeMap;
import java.util.function.LongFunction;

/**
 * A bounded record of what a {@link LocalCluster} did, for fault tests: one sequence of numbers,
 * taken when something arrives, and the newest {@link #CAPACITY} records, oldest first.
 *
 * <p>Threading: safe from any thread; its own monitor guards it, and it calls out to nothing, so
 * it may be used under the master's or an agent's lock.
 *
 * @param <R> the record
 */
final class AuditLog<R> {
  /** How many records are kept: the newest 100,000; older ones are dropped. */
  static final int CAPACITY = 100_000;

  private final TreeMap<Long, R> records = new TreeMap<>();
  private long next = 1;

  /** Takes the next sequence number, for a record added later with {@link #add}. */
  synchronized long arrive() {
    return next++;
  }

  /** Adds a record under a number {@link #arrive} gave, dropping the oldest past capacity. */
  synchronized void add(long sequence, R record) {
    records.put(sequence, record);
    while (records.size() > CAPACITY) {
      records.pollFirstEntry();
    }
  }

  /** Takes the next number and adds the record made with it. */
  synchronized R append(LongFunction<R> record) {
    long sequence = arrive();
    R r = record.apply(sequence);
    add(sequence, r);
    return r;
  }

  /** The records kept, in sequence order; a copy. */
  synchronized List<R> records() {
    return List.copyOf(records.values());
  }
}
