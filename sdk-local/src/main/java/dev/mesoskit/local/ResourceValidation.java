package dev.mesoskit.local;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.mesos.v1.Protos;

/**
 * A master's checks of each resource a task or executor uses, whatever its name: a name, a value
 * of the declared type only, scalars above zero in Mesos' precision (or exactly zero), ranges not
 * inverted nor overlapping, sets without duplicated items. The messages are Mesos' own, which the
 * caller prefixes with "Task uses invalid resources: " and the like.
 */
final class ResourceValidation {
  private ResourceValidation() {}

  /** The first problem with {@code resources}, or null when every one is valid. */
  static String problem(List<Protos.Resource> resources) {
    for (Protos.Resource r : resources) {
      String problem = problem(r);
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  private static String problem(Protos.Resource r) {
    if (r.getName().isEmpty()) {
      return "Empty resource name";
    }
    switch (r.getType()) {
      case SCALAR -> {
        if (!r.hasScalar() || r.hasRanges() || r.hasSet()) {
          return "Invalid scalar resource";
        }
        double value = r.getScalar().getValue();
        if (value != 0 && Math.round(value * 1000.0) <= 0) {
          return "Invalid scalar resource: value <= 0";
        }
      }
      case RANGES -> {
        if (r.hasScalar() || !r.hasRanges() || r.hasSet()) {
          return "Invalid ranges resource";
        }
        List<Protos.Value.Range> ranges = r.getRanges().getRangeList();
        for (int i = 0; i < ranges.size(); i++) {
          Protos.Value.Range range = ranges.get(i);
          if (range.getBegin() > range.getEnd()) {
            return "Invalid ranges resource: begin > end";
          }
          for (int j = i + 1; j < ranges.size(); j++) {
            long begin = ranges.get(j).getBegin();
            if (range.getBegin() <= begin && begin <= range.getEnd()) {
              return "Invalid ranges resource: overlapping ranges";
            }
          }
        }
      }
      case SET -> {
        if (r.hasScalar() || r.hasRanges() || !r.hasSet()) {
          return "Invalid set resource";
        }
        Set<String> seen = new HashSet<>();
        for (String item : r.getSet().getItemList()) {
          if (!seen.add(item)) {
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
}
