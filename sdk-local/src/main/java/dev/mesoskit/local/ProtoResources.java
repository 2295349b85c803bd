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
 * local master uses for its books, and back. Only what local agents offer is supported: scalars,
 * ranges and sets, unreserved or reserved the legacy way, with an allocation role.
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

  @SuppressWarnings("deprecation")
  static List<Protos.Resource> toProtos(Resources resources) {
    List<Protos.Resource> out = new ArrayList<>();
    for (Resource r : resources) {
      Protos.Resource.Builder b = Protos.Resource.newBuilder().setName(r.name());
      if (r.value() instanceof Resource.Scalar s) {
        b.setType(Protos.Value.Type.SCALAR)
            .setScalar(Protos.Value.Scalar.newBuilder().setValue(s.amount()));
      } else if (r.value() instanceof Resource.RangesValue v) {
        Protos.Value.Ranges.Builder ranges = Protos.Value.Ranges.newBuilder();
        for (long[] range : v.ranges().bounds()) {
          ranges.addRange(Protos.Value.Range.newBuilder().setBegin(range[0]).setEnd(range[1]));
        }
        b.setType(Protos.Value.Type.RANGES).setRanges(ranges);
      } else if (r.value() instanceof Resource.SetValue v) {
        b.setType(Protos.Value.Type.SET)
            .setSet(Protos.Value.Set.newBuilder().addAllItem(new java.util.TreeSet<>(v.items())));
      }
      if (r.isReserved()) {
        b.setRole(r.role());
        Protos.Resource.ReservationInfo.Builder reservation =
            Protos.Resource.ReservationInfo.newBuilder();
        r.principal().ifPresent(reservation::setPrincipal);
        b.setReservation(reservation);
      }
      r.allocationRole().ifPresent(role ->
          b.setAllocationInfo(Protos.Resource.AllocationInfo.newBuilder().setRole(role)));
      out.add(b.build());
    }
    return out;
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
