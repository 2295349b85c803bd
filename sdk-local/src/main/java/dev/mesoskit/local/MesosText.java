package dev.mesoskit.local;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import org.apache.mesos.v1.Protos;

/**
 * Resources written the way Apache Mesos writes them into its messages ({@code operator<<} of
 * {@code Resource} and {@code Resources} in {@code src/common/resources.cpp}), so that a
 * LocalCluster message names resources exactly as a real master's does, e.g.
 * {@code cpus(allocated: *):2; mem(allocated: *):4096; ports(allocated: *):[31000-31999]}.
 */
final class MesosText {
  private MesosText() {}

  /** {@code {}} when empty, else every resource in order, separated by {@code "; "}. */
  static String resources(List<Protos.Resource> resources) {
    if (resources.isEmpty()) {
      return "{}";
    }
    List<String> parts = new ArrayList<>(resources.size());
    for (Protos.Resource r : resources) {
      parts.add(resource(r));
    }
    return String.join("; ", parts);
  }

  /**
   * One resource: its name, {@code (allocated: ROLE)}, {@code (reservations: [(TYPE,ROLE)])},
   * {@code {REV}}, {@code <SHARED>}, a colon and the value.
   */
  static String resource(Protos.Resource r) {
    StringBuilder out = new StringBuilder(r.getName());
    if (r.hasAllocationInfo()) {
      out.append("(allocated: ").append(r.getAllocationInfo().getRole()).append(')');
    }
    if (r.getReservationsCount() > 0) {
      out.append("(reservations: [");
      for (int i = 0; i < r.getReservationsCount(); i++) {
        Protos.Resource.ReservationInfo reservation = r.getReservations(i);
        out.append(i > 0 ? ",(" : "(").append(reservation.getType()).append(',')
            .append(reservation.getRole());
        if (reservation.hasPrincipal()) {
          out.append(',').append(reservation.getPrincipal());
        }
        out.append(')');
      }
      out.append("])");
    }
    if (r.hasRevocable()) {
      out.append("{REV}");
    }
    if (r.hasShared()) {
      out.append("<SHARED>");
    }
    out.append(':');
    switch (r.getType()) {
      case SCALAR -> out.append(scalar(r.getScalar().getValue()));
      case RANGES -> {
        List<String> ranges = new ArrayList<>();
        for (Protos.Value.Range range : r.getRanges().getRangeList()) {
          ranges.add(range.getBegin() + "-" + range.getEnd());
        }
        out.append('[').append(String.join(", ", ranges)).append(']');
      }
      case SET -> out.append('{').append(String.join(", ", r.getSet().getItemList())).append('}');
      default -> out.append(r.getType());
    }
    return out.toString();
  }

  /**
   * A scalar as Mesos prints it: rounded to its fixed point of three decimals, no trailing zeros
   * ({@code 2}, {@code 0.1}, {@code 4096}); infinities and NaN as C++ streams print them.
   */
  static String scalar(double value) {
    if (Double.isNaN(value)) {
      return "nan";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "inf" : "-inf";
    }
    BigDecimal fixed = BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_UP)
        .stripTrailingZeros();
    return fixed.signum() == 0 ? "0" : fixed.toPlainString();
  }

  /**
   * A double as a C++ stream prints it by default (six significant digits, {@code %g}-like):
   * {@code 1e+20}, {@code 604800}, {@code 0.5}, {@code inf}, {@code nan}.
   */
  static String number(double value) {
    if (Double.isNaN(value)) {
      return "nan";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "inf" : "-inf";
    }
    if (value == 0) {
      return "0";
    }
    BigDecimal d = new BigDecimal(value).round(new java.math.MathContext(6, RoundingMode.HALF_EVEN));
    int exponent = d.precision() - d.scale() - 1;
    if (exponent < -5 || exponent >= 6) {
      BigDecimal mantissa = d.movePointLeft(exponent).stripTrailingZeros();
      return mantissa.toPlainString() + "e" + (exponent < 0 ? "-" : "+")
          + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
    }
    return d.stripTrailingZeros().toPlainString();
  }
}
