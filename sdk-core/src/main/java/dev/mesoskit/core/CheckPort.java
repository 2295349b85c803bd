package dev.mesoskit.core;

import java.util.List;

/**
 * The port a check asks: one of the ports the task was given from its offer (by index, resolved
 * when the task is launched, since offered ports are only known then), or a fixed number. For a
 * task on the Docker containerizer's bridge network, the executor probes inside the container, so
 * an index that a {@link ContainerSpec.PortMapping} maps resolves to the mapping's container
 * port.
 *
 * @param fixed true for a fixed port number, false for an index into the task's ports
 * @param value the port number (1 to 65535) or the index (&gt;= 0)
 */
public record CheckPort(boolean fixed, int value) {

  /**
   * Validates the fields.
   *
   * @param fixed true for a fixed port number, false for an index into the task's ports
   * @param value the port number (1 to 65535) or the index (&gt;= 0)
   * @throws IllegalArgumentException if the value is out of range
   */
  public CheckPort {
    if (fixed && (value < 1 || value > 65535)) {
      throw new IllegalArgumentException("a check's port must be 1 to 65535 but was " + value);
    }
    if (!fixed && value < 0) {
      throw new IllegalArgumentException("a check's port index must be >= 0 but was " + value);
    }
  }

  /**
   * The task's {@code index}th port (in ascending order of the ports it was given).
   *
   * @param index from 0
   * @return the port
   */
  public static CheckPort assigned(int index) {
    return new CheckPort(false, index);
  }

  /**
   * A fixed port number, e.g. one the task's container listens on inside host networking.
   *
   * @param port 1 to 65535
   * @return the port
   */
  public static CheckPort fixed(int port) {
    return new CheckPort(true, port);
  }

  /**
   * The port number once the task's ports are known.
   *
   * @param taskPorts the task's ports, ascending
   * @return the number
   * @throws IllegalArgumentException if the index is beyond the task's ports
   */
  public int resolve(List<Long> taskPorts) {
    if (fixed) {
      return value;
    }
    if (value >= taskPorts.size()) {
      throw new IllegalArgumentException("a check asks the task's port #" + value
          + " but the task holds " + taskPorts.size() + " port(s): " + taskPorts);
    }
    return taskPorts.get(value).intValue();
  }

  @Override
  public String toString() {
    return fixed ? "port " + value : "the task's port #" + value;
  }
}
