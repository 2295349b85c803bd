package dev.mesoskit.core.spi;

import dev.mesoskit.core.Resource;
import dev.mesoskit.core.Resources;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Splits offered resources by the role the master allocated them to
 * ({@link Resource#allocationRole()}), for {@link PackingStrategy packing strategies} of
 * frameworks with several roles: a task runs on the resources of one role, its own
 * ({@link PendingTask#mayUse}), and never mixes two.
 */
public final class AllocationRoles {
  private AllocationRoles() {}

  /**
   * Groups resources by allocation role. An offer holds the resources of one role, so this
   * returns one group without copying in the usual case.
   *
   * @param resources e.g. an offer's resources
   * @return the resources of each allocation role (empty: none given), in order of first
   *     appearance; one entry for no resources
   */
  public static Map<Optional<String>, Resources> split(Resources resources) {
    List<Resource> list = resources.list();
    Optional<String> first = list.isEmpty() ? Optional.empty() : list.get(0).allocationRole();
    boolean uniform = true;
    for (Resource r : list) {
      if (!r.allocationRole().equals(first)) {
        uniform = false;
        break;
      }
    }
    if (uniform) {
      return Map.of(first, resources);
    }
    Map<Optional<String>, Resources> byRole = new LinkedHashMap<>();
    for (Resource r : list) {
      byRole.computeIfAbsent(r.allocationRole(),
          role -> resources.filter(x -> x.allocationRole().equals(role)));
    }
    return byRole;
  }
}
