/**
 * The libmesos backends: {@link dev.mesoskit.core.jni.NativeSchedulerBackend} adapts the JNI
 * {@code SchedulerDriver} of {@code org.apache.mesos:mesos} to the
 * {@link dev.mesoskit.core.spi.SchedulerBackend} port ({@code --driver=native}), and
 * {@link dev.mesoskit.core.jni.NativeExecutorBackend} adapts its {@code ExecutorDriver} to the
 * {@link dev.mesoskit.core.spi.ExecutorBackend} port of the executor runtime.
 *
 * <p>Where it sits: the module sdk-native, beside sdk-http's {@code core.http}; it uses the SPI
 * and converts v0 messages through their v1 twins. It is the only package that touches
 * {@code MesosSchedulerDriver}, {@code MesosExecutorDriver} and libmesos (an architecture test
 * enforces this), and it loads libmesos only when a native backend subscribes: nothing else in
 * MesosKit needs the native library. When libmesos is missing, {@code subscribe} fails with one
 * {@link dev.mesoskit.core.MesosKitException} naming {@code MESOS_NATIVE_JAVA_LIBRARY} and what
 * was tried.
 *
 * <p>Threading: backend methods are safe from any thread. libmesos delivers its callbacks on its
 * own thread, one at a time and in order; they reach
 * {@link dev.mesoskit.core.spi.SchedulerEvents} on that thread, whose implementations hand each
 * event off and return at once. Nothing thrown in a callback reaches libmesos (which would abort
 * the driver): it is logged.
 *
 * <pre>{@code
 * Framework framework = Framework.builder()
 *     .name("hello")
 *     .backend(NativeSchedulerBackend.create("zk://zk1:2181/mesos"))
 *     .build();
 * }</pre>
 */
package dev.mesoskit.core.jni;
