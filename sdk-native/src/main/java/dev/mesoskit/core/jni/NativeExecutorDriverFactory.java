package dev.mesoskit.core.jni;

import dev.mesoskit.core.MesosKitException;
import java.util.function.Function;
import org.apache.mesos.Executor;
import org.apache.mesos.ExecutorDriver;
import org.apache.mesos.MesosExecutorDriver;

/**
 * The default executor driver factory: creates libmesos' {@link MesosExecutorDriver}, which reads
 * the agent's environment ({@code MESOS_SLAVE_PID}, {@code MESOS_FRAMEWORK_ID}, ...) itself. Its
 * class initializer loads libmesos ({@code MESOS_NATIVE_JAVA_LIBRARY}, else {@code mesos} on
 * {@code java.library.path}); when that fails this factory throws one {@link MesosKitException}
 * that says what was tried and how to fix it.
 *
 * <p>This is the only class of MesosKit that touches {@code MesosExecutorDriver}, and it does so
 * only when a native executor backend subscribes.
 */
final class NativeExecutorDriverFactory implements Function<Executor, ExecutorDriver> {
  @Override
  public ExecutorDriver apply(Executor executor) {
    try {
      return new MesosExecutorDriver(executor);
    } catch (UnsatisfiedLinkError | ExceptionInInitializerError | NoClassDefFoundError e) {
      throw new MesosKitException(NativeDriverFactory.missingLibraryMessage("executor",
          "use the HTTP executor API (the default; drop --driver=native)", System::getenv,
          System.getProperty("java.library.path", ""), e), e);
    }
  }
}
