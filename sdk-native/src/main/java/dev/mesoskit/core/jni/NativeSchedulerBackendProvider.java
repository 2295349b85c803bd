package dev.mesoskit.core.jni;

import dev.mesoskit.core.spi.SchedulerBackend;
import dev.mesoskit.core.spi.SchedulerBackendProvider;

/**
 * {@code --driver=native}: makes a {@link NativeSchedulerBackend} (libmesos) for
 * {@link dev.mesoskit.core.Backends}; registered with {@link java.util.ServiceLoader}.
 */
public final class NativeSchedulerBackendProvider implements SchedulerBackendProvider {
  /** For {@link java.util.ServiceLoader}. */
  public NativeSchedulerBackendProvider() {}

  @Override
  public String driver() {
    return "native";
  }

  @Override
  public SchedulerBackend create(Settings settings) {
    if (settings.embedded().isPresent()) {
      throw new IllegalArgumentException("--driver=native cannot reach --master=local: the"
          + " embedded cluster speaks the v1 HTTP API only; use --driver=http");
    }
    NativeSchedulerBackend.Builder b = NativeSchedulerBackend.builder().master(settings.master());
    settings.principal().ifPresent(b::principal);
    settings.secretFile().ifPresent(b::secretFile);
    return b.build();
  }
}
