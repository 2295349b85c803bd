package dev.mesoskit.core.jni;

import dev.mesoskit.core.spi.ExecutorBackend;
import dev.mesoskit.core.spi.ExecutorBackendProvider;
import java.util.function.UnaryOperator;

/**
 * {@code --driver=native} for executors: makes a {@link NativeExecutorBackend} (libmesos'
 * executor driver, which reads the agent's environment itself); registered with
 * {@link java.util.ServiceLoader}.
 */
public final class NativeExecutorBackendProvider implements ExecutorBackendProvider {
  /** For {@link java.util.ServiceLoader}. */
  public NativeExecutorBackendProvider() {}

  @Override
  public String driver() {
    return "native";
  }

  @Override
  public ExecutorBackend create(UnaryOperator<String> environment) {
    return NativeExecutorBackend.create();
  }
}
