package dev.mesoskit.artifacts.cli;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.IntConsumer;

/**
 * Signal handlers with {@code sun.misc.Signal} (module jdk.unsupported), through reflection
 * because javac offers no way to compile against it without a warning. Loads nothing but the JDK,
 * so that {@link Relaunch}'s waiting parent stays small.
 */
final class Signals {
  private Signals() {}

  /**
   * Replaces the JVM's handling of a signal.
   *
   * @param name {@code "TERM"}, {@code "INT"}...
   * @param handler called with the signal's number, on the JVM's signal thread
   * @return the handler it replaces, for {@link #restore}
   * @throws IllegalStateException when this JVM has no {@code sun.misc.Signal}
   */
  static Object handle(String name, IntConsumer handler) {
    try {
      Class<?> signalType = Class.forName("sun.misc.Signal");
      Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
      Method number = signalType.getMethod("getNumber");
      Object proxy = Proxy.newProxyInstance(handlerType.getClassLoader(),
          new Class<?>[] {handlerType}, (self, method, args) -> {
            if (method.getName().equals("handle")) {
              handler.accept((Integer) number.invoke(args[0]));
              return null;
            }
            return switch (method.getName()) {
              case "hashCode" -> System.identityHashCode(self);
              case "equals" -> self == args[0];
              default -> "SignalHandler[SIG" + name + "]";
            };
          });
      return install(name, proxy);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot handle SIG" + name + " on this JVM: " + e, e);
    }
  }

  /**
   * Puts back the handling {@link #handle} replaced.
   *
   * @param name the signal's name, as given to {@code handle}
   * @param previous what {@code handle} returned
   */
  static void restore(String name, Object previous) {
    try {
      install(name, previous);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot restore SIG" + name + " on this JVM: " + e, e);
    }
  }

  private static Object install(String name, Object handler) throws ReflectiveOperationException {
    Class<?> signalType = Class.forName("sun.misc.Signal");
    Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
    Object signal = signalType.getConstructor(String.class).newInstance(name);
    return signalType.getMethod("handle", signalType, handlerType).invoke(null, signal, handler);
  }
}
