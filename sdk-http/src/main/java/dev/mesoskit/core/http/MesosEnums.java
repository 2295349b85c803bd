package dev.mesoskit.core.http;

/**
 * Mesos enum values by name, for the scheduler's conversions and the executor's wire encoder
 * alike. A class of its own so that the executor's encoder does not load {@link V1Conversions}.
 */
final class MesosEnums {
  private MesosEnums() {}

  /**
   * The value of a Mesos {@code TaskStatus} enum named {@code name}.
   *
   * @param type the enum, e.g. {@code Protos.TaskStatus.Reason}
   * @param name the value's name, as Mesos spells it
   * @param field the TaskStatus field, for the error
   * @throws IllegalArgumentException naming the field and the value when there is no such value
   */
  static <E extends Enum<E>> E taskStatusValue(Class<E> type, String name, String field) {
    try {
      return Enum.valueOf(type, name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + " must be a Mesos TaskStatus " + field
          + " name but was '" + name + "'", e);
    }
  }
}
