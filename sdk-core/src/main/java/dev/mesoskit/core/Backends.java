package dev.mesoskit.core;

import dev.mesoskit.core.spi.EmbeddedMaster;
import dev.mesoskit.core.spi.Providers;
import dev.mesoskit.core.spi.SchedulerBackend;
import dev.mesoskit.core.spi.SchedulerBackendProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Chooses the scheduler backend from the usual command-line options, so that the same framework
 * runs on the embedded cluster, on a real cluster over HTTP, or through libmesos.
 *
 * <pre>{@code
 * // --master=10.0.0.5:5050 | --master=zk://zk1:2181/mesos | --master=local (default)
 * // --driver=http (default) | --driver=native
 * // --principal=NAME --secret-file=PATH
 * SchedulerBackend backend = Backends.fromArgs(args);
 * }</pre>
 *
 * <p>{@code --master=local} starts the embedded cluster of sdk-local (found through
 * {@link EmbeddedMaster.Provider}) and stops it when the backend closes. The HTTP backend
 * (default) needs no native library. {@code --driver=native} uses libmesos
 * through {@code MESOS_NATIVE_JAVA_LIBRARY}; nothing else in MesosKit needs it.
 */
public final class Backends {
  /**
   * The options {@link #fromArgs} understands, in the order of its documentation:
   * {@code --master}, {@code --driver}, {@code --principal}, {@code --secret-file}.
   */
  public static final List<String> OPTIONS =
      List.of("--master", "--driver", "--principal", "--secret-file");

  private Backends() {}

  /** The two ways to talk to a master. */
  public enum Driver {
    /** Mesos' v1 scheduler HTTP API, in pure Java. */
    HTTP,
    /** libmesos' {@code MesosSchedulerDriver} through JNI. */
    NATIVE
  }

  /**
   * Builds the backend the options name; options it does not know are left to the caller.
   * Understood: {@code --master}, {@code --driver}, {@code --principal}, {@code --secret-file},
   * each as {@code --name=value} or {@code --name value}.
   *
   * @param args the command line
   * @return the backend, not yet subscribed
   * @throws IllegalArgumentException naming the option that is wrong
   */
  public static SchedulerBackend fromArgs(String... args) {
    Builder b = builder();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      for (String name : OPTIONS) {
        String value = null;
        if (arg.startsWith(name + "=")) {
          value = arg.substring(name.length() + 1);
        } else if (arg.equals(name)) {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException(name + " needs a value");
          }
          value = args[++i];
        }
        if (value != null) {
          switch (name) {
            case "--master" -> b.master(value);
            case "--driver" -> b.driver(parseDriver(value));
            case "--principal" -> b.principal(value);
            default -> b.secretFile(Path.of(value));
          }
        }
      }
    }
    return b.build();
  }

  private static Driver parseDriver(String value) {
    try {
      return Driver.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--driver must be 'http' or 'native' but was '" + value + "'", e);
    }
  }

  /**
   * Starts a builder: master {@code local}, HTTP driver, no authentication.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a backend from explicit settings. */
  public static final class Builder {
    private String master = "local";
    private Driver driver = Driver.HTTP;
    private String principal;
    private Path secretFile;

    private Builder() {}

    /**
     * Sets where the master is.
     *
     * @param master {@code local}, {@code host:port[,host:port]}, {@code http(s)://host:port} or
     *     {@code zk://host:port[,host:port]/path}; default {@code local}
     * @return this builder
     */
    public Builder master(String master) {
      this.master = Objects.requireNonNull(master, "master must not be null");
      return this;
    }

    /**
     * Sets how to talk to the master.
     *
     * @param driver default {@link Driver#HTTP}
     * @return this builder
     */
    public Builder driver(Driver driver) {
      this.driver = Objects.requireNonNull(driver, "driver must not be null");
      return this;
    }

    /**
     * Authenticates as this principal.
     *
     * @param principal the principal
     * @return this builder
     */
    public Builder principal(String principal) {
      this.principal = principal;
      return this;
    }

    /**
     * Reads the principal's secret from this file.
     *
     * @param secretFile the file
     * @return this builder
     */
    public Builder secretFile(Path secretFile) {
      this.secretFile = secretFile;
      return this;
    }

    private SchedulerBackend local(SchedulerBackendProvider backends) {
      EmbeddedMaster.Provider provider = Providers.load(EmbeddedMaster.Provider.class).stream()
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException("--master=local needs the embedded"
              + " cluster of sdk-local (dev.mesoskit:sdk-local) on the class path; add it, or"
              + " give --master=host:port, --master=http(s)://host:port or"
              + " --master=zk://host:port/path"));
      EmbeddedMaster embedded = provider.start();
      try {
        return create(backends, embedded.masterAddress(), Optional.of(embedded));
      } catch (RuntimeException e) {
        embedded.close();
        throw e;
      }
    }

    /** The provider of the chosen driver; checked before anything starts. */
    private SchedulerBackendProvider provider() {
      if (driver == Driver.HTTP && principal == null && secretFile != null) {
        throw new IllegalArgumentException("--secret-file needs --principal");
      }
      String name = driver.name().toLowerCase(Locale.ROOT);
      return Providers.load(SchedulerBackendProvider.class).stream()
          .filter(p -> p.driver().equals(name))
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException("--driver=" + name + " needs "
              + (driver == Driver.HTTP
                  ? "the v1 HTTP scheduler backend of sdk-http (dev.mesoskit:sdk-http)"
                  : "the libmesos adapter of sdk-native (dev.mesoskit:sdk-native)")
              + " on the class path; add it"));
    }

    private SchedulerBackend create(SchedulerBackendProvider provider, String address,
        Optional<EmbeddedMaster> embedded) {
      return provider.create(new SchedulerBackendProvider.Settings(address,
          Optional.ofNullable(principal), Optional.ofNullable(secretFile), embedded));
    }

    /**
     * Validates and builds the backend.
     *
     * @return the backend
     * @throws IllegalArgumentException naming the setting that is wrong
     */
    public SchedulerBackend build() {
      MasterAddress address = MasterAddress.parse(master);
      if (address.kind() == MasterAddress.Kind.LOCAL) {
        if (driver == Driver.NATIVE) {
          throw new IllegalArgumentException("--driver=native cannot reach --master=local: the"
              + " embedded cluster speaks the v1 HTTP API only; use --driver=http");
        }
        return local(provider());
      }
      return create(provider(), master, Optional.empty());
    }
  }
}
