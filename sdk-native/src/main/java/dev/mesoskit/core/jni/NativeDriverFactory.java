package dev.mesoskit.core.jni;

import dev.mesoskit.core.MesosKitException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.mesos.MesosSchedulerDriver;
import org.apache.mesos.SchedulerDriver;

/**
 * The default driver factory: creates libmesos' {@link MesosSchedulerDriver}. Its class
 * initializer loads libmesos ({@code MESOS_NATIVE_JAVA_LIBRARY}, else {@code mesos} on
 * {@code java.library.path}); when that fails this factory throws one {@link MesosKitException}
 * that says what was tried and how to fix it.
 *
 * <p>This is the only class of MesosKit that touches {@code MesosSchedulerDriver}, and it does so
 * only when a native backend subscribes.
 */
final class NativeDriverFactory implements Function<DriverRequest, SchedulerDriver> {
  static final String LIBRARY_ENV = "MESOS_NATIVE_JAVA_LIBRARY";
  static final String LEGACY_LIBRARY_ENV = "MESOS_NATIVE_LIBRARY";

  @Override
  public SchedulerDriver apply(DriverRequest r) {
    try {
      if (r.credential().isPresent()) {
        return new MesosSchedulerDriver(r.scheduler(), r.frameworkInfo(), r.master(),
            r.implicitAcknowledgements(), r.credential().get());
      }
      return new MesosSchedulerDriver(r.scheduler(), r.frameworkInfo(), r.master(),
          r.implicitAcknowledgements());
    } catch (UnsatisfiedLinkError | ExceptionInInitializerError | NoClassDefFoundError e) {
      // The first touch fails with UnsatisfiedLinkError; every later one in the same JVM with
      // NoClassDefFoundError "Could not initialize class", because the class stays unusable.
      throw new MesosKitException(missingLibraryMessage(System::getenv,
          System.getProperty("java.library.path", ""), e), e);
    }
  }

  /**
   * Explains why libmesos could not be loaded.
   *
   * @param env reads an environment variable, null when unset
   * @param libraryPath the {@code java.library.path} searched when no variable is set
   * @param failure what loading threw
   * @return the message
   */
  static String missingLibraryMessage(UnaryOperator<String> env, String libraryPath,
      Throwable failure) {
    return missingLibraryMessage("scheduler", "use the HTTP backend", env, libraryPath, failure);
  }

  /**
   * Explains why libmesos could not be loaded for one of its drivers.
   *
   * @param driver {@code scheduler} or {@code executor}
   * @param alternative what to do instead, e.g. {@code use the HTTP backend}
   * @param env reads an environment variable, null when unset
   * @param libraryPath the {@code java.library.path} searched when no variable is set
   * @param failure what loading threw
   * @return the message
   */
  static String missingLibraryMessage(String driver, String alternative,
      UnaryOperator<String> env, String libraryPath, Throwable failure) {
    String library = env.apply(LIBRARY_ENV);
    String legacy = env.apply(LEGACY_LIBRARY_ENV);
    String tried;
    if (library != null) {
      tried = LIBRARY_ENV + "=" + library + ", so System.load tried that file" + missing(library);
    } else if (legacy != null) {
      tried = LIBRARY_ENV + " is not set, so System.load tried the deprecated " + LEGACY_LIBRARY_ENV
          + "=" + legacy + missing(legacy);
    } else {
      tried = LIBRARY_ENV + " is not set, so System.loadLibrary(\"mesos\") searched"
          + " java.library.path=" + libraryPath;
    }
    return "the native " + driver + " driver needs libmesos, which could not be loaded: " + tried
        + " (" + innermost(failure) + "). Set " + LIBRARY_ENV
        + " to the absolute path of libmesos (e.g. /usr/local/lib/libmesos.so), or " + alternative
        + ", which needs no native library";
  }

  private static String missing(String file) {
    try {
      return Files.exists(Path.of(file)) ? "" : " (no such file)";
    } catch (InvalidPathException e) {
      return " (not a valid path)";
    }
  }

  private static String innermost(Throwable t) {
    Throwable cause = t;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.toString();
  }
}
