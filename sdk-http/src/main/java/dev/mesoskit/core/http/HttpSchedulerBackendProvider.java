package dev.mesoskit.core.http;

import dev.mesoskit.core.spi.SchedulerBackend;
import dev.mesoskit.core.spi.SchedulerBackendProvider;

/**
 * {@code --driver=http}: makes an {@link HttpSchedulerBackend} for
 * {@link dev.mesoskit.core.Backends}; registered with {@link java.util.ServiceLoader}.
 */
public final class HttpSchedulerBackendProvider implements SchedulerBackendProvider {
  /** For {@link java.util.ServiceLoader}. */
  public HttpSchedulerBackendProvider() {}

  @Override
  public String driver() {
    return "http";
  }

  @Override
  public SchedulerBackend create(Settings settings) {
    HttpSchedulerBackend.Builder b = HttpSchedulerBackend.builder().master(settings.master());
    settings.embedded().ifPresent(b::attach);
    settings.principal().ifPresent(b::principal);
    settings.secretFile().ifPresent(b::secretFile);
    return b.build();
  }
}
