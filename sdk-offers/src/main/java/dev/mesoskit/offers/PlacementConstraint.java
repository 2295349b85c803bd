package dev.mesoskit.offers;

/**
 * A rule about where a task may run, beyond its resources: on a host of its own, on agents with
 * some attribute value, at most so many per attribute value, spread evenly. Built by
 * {@link Constraints} and attached to groups of tasks with
 * {@link Packer#constrain(TaskGroups, PlacementConstraint...)}.
 *
 * <p>Constraints that count ({@link Constraints#uniqueHost()},
 * {@link Constraints#maxPerAttribute(String, int)}, {@link Constraints#groupBy(String)}) count the
 * tasks of the same group: those placed earlier in the pass and those the {@link Packer} placed in
 * earlier passes that have not ended.
 *
 * <p>Values are immutable; their {@code toString()} is the wording used in reasons, e.g.
 * {@code "unique hostname"} or {@code "rack=r1"}.
 */
public sealed interface PlacementConstraint
    permits Constraints.UniqueHost, Constraints.AttributeIn, Constraints.AttributeMatches,
        Constraints.MaxPerAttribute, Constraints.GroupBy {}
