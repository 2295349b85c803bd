package dev.mesoskit.local;

import dev.mesoskit.core.Ranges;
import dev.mesoskit.core.Resource;
import dev.mesoskit.core.Resources;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.apache.mesos.v1.Protos;

/**
 * Converts the master's resource messages to MesosKit's {@link Resources}, whose arithmetic the
 * local master uses for its books (back to messages with
 * {@link dev.mesoskit.core.http.V1Conversions#resources}). Only what local agents offer is
 * supported: scalars, ranges and sets, unreserved or reserved the legacy way, with an allocation
 * role; unlike a framework's view, which leaves out what it cannot use, the master's books refuse
 * any other type.
 */
final class ProtoResources {
  private ProtoResources() {}

  static Resources toResources(List<Protos.Resource> list) {
    List<Resource> out = new ArrayList<>(list.size());
    for (Protos.Resource r : list) {
      out.add(toResource(r));
    }
    return Resources.of(out);
  }

  static Resource toResource(Protos.Resource r) {
    Resource.Value value = switch (r.getType()) {
      case SCALAR -> new Resource.Scalar(Math.max(0, r.getScalar().getValue()));
      case RANGES -> {
        Ranges ranges = Ranges.empty();
        for (Protos.Value.Range range : r.getRanges().getRangeList()) {
          ranges = ranges.plus(Ranges.of(range.getBegin(), range.getEnd()));
        }
        yield new Resource.RangesValue(ranges);
      }
      case SET -> new Resource.SetValue(new HashSet<>(r.getSet().getItemList()));
      default -> throw new IllegalArgumentException(
          "resource '" + r.getName() + "' has an unsupported type " + r.getType());
    };
    @SuppressWarnings("deprecation")
    String role = r.getReservationsCount() > 0
        ? r.getReservations(r.getReservationsCount() - 1).getRole()
        : r.hasRole() ? r.getRole() : Resource.UNRESERVED;
    Optional<String> principal = r.hasReservation() && r.getReservation().hasPrincipal()
        ? Optional.of(r.getReservation().getPrincipal())
        : Optional.empty();
    Optional<String> allocation = r.hasAllocationInfo() && r.getAllocationInfo().hasRole()
        ? Optional.of(r.getAllocationInfo().getRole())
        : Optional.empty();
    return new Resource(r.getName(), value, role.isEmpty() ? Resource.UNRESERVED : role,
        principal, allocation);
  }

  /** The same resources allocated to {@code role}. */
  static Resources allocatedTo(Resources resources, String role) {
    List<Resource> out = new ArrayList<>();
    for (Resource r : resources) {
      out.add(r.withAllocationRole(role));
    }
    return Resources.of(out);
  }

  /** The same resources with no allocation role, as the agent's unallocated pool keeps them. */
  static Resources unallocated(Resources resources) {
    List<Resource> out = new ArrayList<>();
    for (Resource r : resources) {
      out.add(new Resource(r.name(), r.value(), r.role(), r.principal(), Optional.empty()));
    }
    return Resources.of(out);
  }
}
