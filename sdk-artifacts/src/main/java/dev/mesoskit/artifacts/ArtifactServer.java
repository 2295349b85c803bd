package dev.mesoskit.artifacts;

import dev.mesoskit.core.MasterAddress;
import dev.mesoskit.core.MesosKitException;
import dev.mesoskit.core.spi.ArtifactPublisher;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Base64;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The artifact server: agents fetch executors and data from it, tasks upload results to it.
 * It serves an {@link ArtifactStore} over HTTP with Jetty and is the stock
 * {@link ArtifactPublisher}.
 *
 * <p>HTTP, under {@code /artifacts/<name>}:
 * <ul>
 *   <li>{@code GET} and {@code HEAD} answer with {@code Content-Length}, {@code Content-Type} (by
 *       file extension), {@code ETag} (the SHA-256, from the store's metadata, never re-hashed per
 *       request), {@code Last-Modified}, {@code Accept-Ranges: bytes}; they honour
 *       {@code If-Match}, {@code If-None-Match}, {@code If-Modified-Since},
 *       {@code If-Unmodified-Since} (304/412) and one {@code Range} with {@code If-Range} (206,
 *       416; several ranges get the whole artifact, see {@link RangeRequest}). Content-addressed
 *       names ({@code <sha256>/...}, 64 lowercase hex digits) are marked immutable for caches
 *       and served only while their bytes have that SHA-256: otherwise (a file that was
 *       rewritten in place after {@link #publishLinked} linked it) they answer 410; a
 *       {@code PUT} to such a name must carry a body with that SHA-256. There is no
 *       directory listing.
 *   <li>{@code PUT} stores the body: it needs {@code Authorization: Bearer <token>} (401
 *       otherwise, compared in constant time), is limited to {@code maxUploadBytes} (413, nothing
 *       stored), and may carry {@code X-Checksum-Sha256: <hex>} (400 on mismatch, nothing
 *       stored). It answers 201 (200 when it replaced an artifact) with the URI in
 *       {@code Location} and in the body.
 *   <li>Names are checked on the raw request path before the store is touched: {@code ..},
 *       {@code %2e%2e}, {@code %2f}, {@code %5c}, overlong UTF-8, {@code ;} parameters and NUL
 *       are refused with 400 (Jetty refuses some of them itself, also with 400).
 * </ul>
 * {@code GET /metrics} shows the {@link ArtifactServerMetrics} in Prometheus text format.
 *
 * <p>Addresses: the server binds {@code bindAddress} (default {@code 0.0.0.0}, every interface)
 * and puts {@code advertisedHost} in every URI it hands out (default: the bind address, or this
 * machine's host name when binding every interface; with {@link Builder#advertisedHostFor}, this
 * machine's address on the route to the master). Agents on other hosts fetch from the
 * advertised address, so it must be a name or address they can reach, never {@code 127.0.0.1}
 * on a real cluster. Port 0 picks a free port; {@link #port()} tells which.
 *
 * <p>Lifecycle: {@code LATENT -> STARTED -> CLOSED}; a second {@link #start()} throws;
 * {@link #close()} is idempotent and returns when the server stopped.
 *
 * <p>Threading: every method is safe from any thread. Requests run on Jetty's thread pool.
 *
 * <pre>{@code
 * try (ArtifactServer server = ArtifactServer.builder()
 *     .directory(Path.of("artifacts"))
 *     .advertisedHost("scheduler.example.com")
 *     .port(8080)
 *     .build()
 *     .start()) {
 *   URI executor = server.publish(Path.of("target/app.jar"));
 *   ...
 * }
 * }</pre>
 */
public final class ArtifactServer implements ArtifactPublisher, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ArtifactServer.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int INPUT_BUFFER_BYTES = 64 * 1024;

  private enum State { LATENT, STARTED, CLOSED }

  private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
  private final ArtifactStore store;
  private final String bindAddress;
  private final int requestedPort;
  private final Optional<String> advertisedHost;
  /**
   * The master whose agents are elsewhere ({@link Builder#advertisedHostFor}), so that the
   * default advertised host must not be a loopback address; empty when agents may be here.
   */
  private final Optional<String> agentsElsewhere;
  private final String uploadToken;
  private final long maxUploadBytes;
  private final Counters counters = new Counters();
  private final Optional<Path> temporaryDirectory;
  private volatile Server jetty;
  private volatile URI baseUri;
  private volatile int port;

  private ArtifactServer(Builder b, ArtifactStore store, Path temporaryDirectory) {
    this.store = store;
    this.bindAddress = b.bindAddress;
    this.requestedPort = b.port;
    this.advertisedHost = b.advertisedHost.or(() -> b.routedHost);
    this.agentsElsewhere = b.agentsElsewhere;
    this.uploadToken = b.uploadToken != null ? b.uploadToken : newToken();
    this.maxUploadBytes = b.maxUploadBytes;
    this.temporaryDirectory = Optional.ofNullable(temporaryDirectory);
  }

  /**
   * A server for a directory with every default: bind {@code 0.0.0.0}, a free port, this
   * machine's host name advertised, a generated token.
   *
   * @param directory the directory to serve and store uploads in
   * @return the server, not started
   */
  public static ArtifactServer create(Path directory) {
    return builder().directory(directory).build();
  }

  /**
   * Starts a builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * Binds the port and starts serving.
   *
   * @return this server
   * @throws IllegalStateException when already started or closed
   * @throws MesosKitException when the address cannot be bound
   */
  public ArtifactServer start() {
    if (!state.compareAndSet(State.LATENT, State.STARTED)) {
      throw new IllegalStateException("ArtifactServer was already started");
    }
    QueuedThreadPool threads = new QueuedThreadPool(200, 8);
    threads.setName("artifact-server");
    // A program that returns from main without closing the server still exits: no thread of it
    // (the pool's, or the timer Jetty would otherwise create as a non-daemon) holds the JVM.
    threads.setDaemon(true);
    Server server = new Server(threads,
        new ScheduledExecutorScheduler("artifact-server-timer", true), null);
    HttpConfiguration config = new HttpConfiguration();
    config.setSendServerVersion(false);
    config.setSendXPoweredBy(false);
    config.setUriCompliance(UriCompliance.DEFAULT);
    HttpConnectionFactory http = new HttpConnectionFactory(config);
    // Uploads arrive in pieces of this size (Jetty's default, 8 KiB, is made for small requests;
    // 64 KiB is the largest its buffer pool keeps).
    http.setInputBufferSize(INPUT_BUFFER_BYTES);
    ServerConnector connector = new ServerConnector(server, http);
    connector.setHost(bindAddress);
    connector.setPort(requestedPort);
    server.addConnector(connector);
    server.setHandler(new ArtifactHandler(this, store, counters, uploadToken, maxUploadBytes));
    server.setErrorHandler(new ErrorResponder(counters));
    server.setStopTimeout(0);
    try {
      server.start();
    } catch (Exception e) {
      stopQuietly(server);
      state.set(State.CLOSED);
      temporaryDirectory.ifPresent(ArtifactServer::deleteQuietly);
      throw new MesosKitException("cannot start artifact server: bind=" + bindAddress + " port="
          + requestedPort, e);
    }
    String host = advertisedHost.orElseGet(this::defaultAdvertisedHost);
    if (advertisedHost.isEmpty() && agentsElsewhere.isPresent() && isLoopback(host)) {
      stopQuietly(server);
      state.set(State.CLOSED);
      temporaryDirectory.ifPresent(ArtifactServer::deleteQuietly);
      throw new MesosKitException("the artifact server found no address of this machine that"
          + " agents on other hosts can reach: its default, '" + host + "', is a loopback"
          + " address, and no address of this machine routes to the master "
          + agentsElsewhere.get() + "; set the advertised host"
          + " (--advertise) to a name or address the agents can reach");
    }
    jetty = server;
    port = connector.getLocalPort();
    baseUri = URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port
        + ArtifactHandler.ARTIFACTS_PATH);
    LOG.info("artifact server started bind={} port={} url={} store={} max_upload_bytes={}",
        bindAddress, port, baseUri, store, maxUploadBytes);
    warnWhenUnreachable(host);
    return this;
  }

  private String defaultAdvertisedHost() {
    return advertisedHostFor(bindAddress, () -> InetAddress.getLocalHost().getCanonicalHostName(),
        ArtifactServer::firstSiteAddress);
  }

  /**
   * The host to advertise for a bind address: the address itself unless it is a wildcard; then
   * this machine's canonical host name; when that does not resolve (a host name missing from
   * /etc/hosts and DNS), the first non-loopback address of an interface that is up, else the
   * loopback address, each with a warning that names what to set.
   */
  static String advertisedHostFor(String bindAddress,
      java.util.concurrent.Callable<String> canonicalHostName,
      java.util.function.Supplier<Optional<String>> interfaceAddress) {
    if (!isWildcard(bindAddress)) {
      return bindAddress;
    }
    try {
      return canonicalHostName.call();
    } catch (Exception e) {
      String fallback = interfaceAddress.get().orElse("127.0.0.1");
      LOG.warn("cannot resolve this machine's host name, advertising an address of it instead;"
          + " set the advertised host (--advertise) advertised={} bind={} problem={}", fallback,
          bindAddress, e.toString());
      return fallback;
    }
  }

  private static Optional<String> firstSiteAddress() {
    try {
      for (java.net.NetworkInterface nic : java.util.Collections.list(
          java.net.NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp() || nic.isLoopback()) {
          continue;
        }
        for (InetAddress address : java.util.Collections.list(nic.getInetAddresses())) {
          if (address instanceof java.net.Inet4Address && !address.isLoopbackAddress()
              && !address.isLinkLocalAddress()) {
            return Optional.of(address.getHostAddress());
          }
        }
      }
    } catch (java.io.IOException e) {
      LOG.debug("cannot list network interfaces: {}", e.toString());
    }
    return Optional.empty();
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static boolean isWildcard(String address) {
    return address.equals("0.0.0.0") || address.equals("::") || address.equals("[::]");
  }

  private void warnWhenUnreachable(String host) {
    try {
      InetAddress advertised = InetAddress.getByName(host);
      if (advertised.isLoopbackAddress() && !InetAddress.getByName(bindAddress)
          .isLoopbackAddress()) {
        LOG.warn("the advertised address is a loopback address: agents on other hosts cannot"
            + " fetch from it; set the advertised host advertised={} bind={}", host, bindAddress);
      }
    } catch (UnknownHostException e) {
      LOG.warn("the advertised host does not resolve here advertised={} problem={}", host,
          e.toString());
    }
  }

  private static void stopQuietly(Server server) {
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("artifact server did not stop cleanly", e);
    }
  }

  /**
   * The port the server listens on.
   *
   * @return the bound port
   * @throws IllegalStateException before {@link #start()}
   */
  public int port() {
    checkStarted();
    return port;
  }

  @Override
  public URI baseUri() {
    checkStarted();
    return baseUri;
  }

  @Override
  public URI uri(String name) {
    checkStarted();
    return URI.create(baseUri + ArtifactNames.encode(name));
  }

  @Override
  public String uploadToken() {
    return uploadToken;
  }

  /**
   * The URI of the server's Prometheus endpoint.
   *
   * @return e.g. {@code http://host:8080/metrics}
   */
  public URI metricsUri() {
    return baseUri().resolve(ArtifactHandler.METRICS_PATH);
  }

  /**
   * Publishes a copy of a file under {@code <sha256>/<file name>} and returns its URI. The file
   * name is taken in Unicode NFC. Publishing content that is already stored stores nothing. The
   * copy keeps serving the published bytes whatever later happens to the file (a jar rebuilt in
   * place, say); for large inputs that stay as they are while they are served, {@link
   * #publishLinked} costs no copy.
   *
   * @param file a regular file
   * @return the content-addressed URI
   * @throws IllegalArgumentException when the file is missing, not a regular file, or its name
   *     is not a valid artifact name
   * @throws MesosKitException when the file cannot be read or changes while it is published
   */
  @Override
  public URI publish(Path file) {
    return publish(file, false);
  }

  /**
   * Publishes a file like {@link #publish}, but lets the store take the file itself where it can
   * ({@link ArtifactStore#putFile}): the default directory store hard-links it when it is on the
   * store's file system, so publishing reads the file once (to name it by its SHA-256) and
   * writes no byte, and the store's attribute {@code user.mesoskit.sha256} is set on the file.
   * For batch inputs: gigabytes of images cost no copy. The URI serves the file's bytes as long
   * as they are the published ones; a program that then rewrites the file in place (rather than
   * writing a new file and renaming it over the old one) makes the URI answer 410 Gone. The
   * change is noticed by the file's size or modification time, so a rewrite to the same size
   * within one tick of the file system's clock, or during a download, is not: publish copies
   * when the file may be rewritten while it is served. On another file system than the store's
   * the file is copied as by {@link #publish}.
   *
   * @param file a regular file
   * @return the content-addressed URI
   * @throws IllegalArgumentException when the file is missing, not a regular file, or its name
   *     is not a valid artifact name
   * @throws MesosKitException when the file cannot be read or changes while it is published
   */
  public URI publishLinked(Path file) {
    return publish(file, true);
  }

  private URI publish(Path file, boolean linked) {
    checkStarted();
    Objects.requireNonNull(file, "file must not be null");
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("file must be a regular file but "
          + (Files.exists(file, LinkOption.NOFOLLOW_LINKS) ? "is not" : "does not exist")
          + ": " + file);
    }
    String fileName = Normalizer.normalize(file.getFileName().toString(), Normalizer.Form.NFC);
    String sha;
    try {
      sha = linked && store instanceof DirectoryStore directory ? directory.hashOf(file)
          : Digests.sha256(file);
    } catch (IOException e) {
      throw new MesosKitException("cannot read file to publish: file=" + file, e);
    }
    String name = ArtifactNames.check(sha + "/" + fileName);
    Optional<Artifact> stored = store.stat(name);
    if (stored.isEmpty() || !stored.get().sha256().equals(sha)) {
      try {
        if (linked) {
          store.putFile(name, file, Optional.of(sha));
        } else {
          try (InputStream in = Files.newInputStream(file)) {
            store.put(name, in, Optional.of(sha));
          }
        }
      } catch (ChecksumMismatchException e) {
        throw new MesosKitException("file changed while it was published: file=" + file, e);
      } catch (UncheckedIOException e) {
        throw new MesosKitException("cannot publish file=" + file + ": "
            + e.getCause().getMessage(), e.getCause());
      } catch (IOException e) {
        throw new MesosKitException("cannot read file to publish: file=" + file, e);
      }
    }
    URI uri = uri(name);
    LOG.info("artifact published file={} name={} uri={} linked={}", file, name, uri, linked);
    return uri;
  }

  /**
   * The counters since start.
   *
   * @return a snapshot
   */
  public ArtifactServerMetrics metrics() {
    return counters.snapshot();
  }

  /**
   * The store the server serves.
   *
   * @return the store
   */
  public ArtifactStore store() {
    return store;
  }

  private void checkStarted() {
    if (state.get() == State.LATENT) {
      throw new IllegalStateException("ArtifactServer is not started");
    }
  }

  /**
   * Stops serving and returns when the server stopped; connections, and requests in flight on
   * them, are closed at once (an upload cut off stores nothing). Idempotent.
   */
  @Override
  public void close() {
    State previous = state.getAndSet(State.CLOSED);
    if (previous == State.STARTED) {
      stopQuietly(jetty);
      LOG.info("artifact server stopped url={}", baseUri);
    }
    if (previous != State.CLOSED) {
      temporaryDirectory.ifPresent(ArtifactServer::deleteQuietly);
    }
  }

  /** Deletes a {@link Builder#temporaryDirectory} and everything in it; logs what it cannot. */
  private static void deleteQuietly(Path directory) {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(path);
      }
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("artifact server could not delete its temporary directory dir={}", directory, e);
    }
  }

  @Override
  public String toString() {
    return "ArtifactServer[" + (baseUri != null ? baseUri : "not started") + ", " + store + "]";
  }

  /** Builds an {@link ArtifactServer}. */
  public static final class Builder {
    private ArtifactStore store;
    private String bindAddress = "0.0.0.0";
    private int port;
    private Optional<String> advertisedHost = Optional.empty();
    private Optional<String> agentsElsewhere = Optional.empty();
    private Optional<String> routedHost = Optional.empty();
    private String uploadToken;
    private long maxUploadBytes = 1L << 30;
    private String temporaryPrefix;

    private Builder() {}

    /**
     * Sets the store to serve.
     *
     * @param store the store; required, or use {@link #directory(Path)}
     * @return this builder
     */
    public Builder store(ArtifactStore store) {
      this.store = Objects.requireNonNull(store, "store must not be null");
      this.temporaryPrefix = null;
      return this;
    }

    /**
     * Serves a {@link DirectoryStore} in {@code directory}.
     *
     * @param directory the directory; created when missing
     * @return this builder
     */
    public Builder directory(Path directory) {
      return store(new DirectoryStore(directory));
    }

    /**
     * Serves a {@link DirectoryStore} in a new temporary directory that {@link #close()} deletes
     * with everything in it: for artifacts that matter only while the framework runs (the
     * executor jar, inputs, results the scheduler collects before it closes the server).
     *
     * @param prefix the start of the directory's name, e.g. the program's name
     * @return this builder
     */
    public Builder temporaryDirectory(String prefix) {
      this.temporaryPrefix = Objects.requireNonNull(prefix, "prefix must not be null");
      this.store = null;
      return this;
    }

    /**
     * Sets the address to listen on.
     *
     * @param bindAddress an address or host name; default {@code 0.0.0.0} (every interface)
     * @return this builder
     */
    public Builder bindAddress(String bindAddress) {
      this.bindAddress = bindAddress;
      return this;
    }

    /**
     * Binds where the agents of a master can connect: {@code 127.0.0.1} for the embedded cluster
     * ({@code --master=local}, whose agents run on this machine), every interface
     * ({@code 0.0.0.0}) for any other master. Agents then fetch from the advertised host.
     *
     * @param master the master the framework talks to
     * @return this builder
     */
    public Builder bindAddressFor(MasterAddress master) {
      Objects.requireNonNull(master, "master must not be null");
      return bindAddress(master.kind() == MasterAddress.Kind.LOCAL ? "127.0.0.1" : "0.0.0.0");
    }

    /**
     * Sets the port.
     *
     * @param port 0 to 65535; default 0, a free port
     * @return this builder
     */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /**
     * Sets the host name or address put in URIs, the one agents connect to.
     *
     * @param advertisedHost a name or address agents can reach; default the bind address, or
     *     this machine's host name when binding every interface (see also
     *     {@link #advertisedHostFor})
     * @return this builder
     */
    public Builder advertisedHost(String advertisedHost) {
      this.advertisedHost = Optional.of(advertisedHost);
      return this;
    }

    /**
     * Advertises the address agents of a master can reach when {@link #advertisedHost} is not
     * set (before or after this call): this machine's address on the route to the master (to its
     * first host; to the first ZooKeeper host for {@code zk://}), which sits on the agents'
     * network, rather than this machine's host name, which often resolves to a loopback address.
     * For the embedded cluster or a master on loopback addresses only (for {@code zk://}, a
     * ZooKeeper on loopback addresses only), nothing changes: the agents are on this machine.
     * When no address routes to the master and the default is a loopback address,
     * {@link #build()}'s server fails to start, naming the master and saying to set the
     * advertised host, before any task could fail to fetch from it. The last call counts.
     *
     * @param master the master the framework talks to
     * @return this builder
     */
    public Builder advertisedHostFor(MasterAddress master) {
      Objects.requireNonNull(master, "master must not be null");
      if (ReachableAddress.onLoopback(master)) {
        agentsElsewhere = Optional.empty();
        routedHost = Optional.empty();
        return this;
      }
      agentsElsewhere = Optional.of(ReachableAddress.describe(master));
      routedHost = ReachableAddress.toward(master);
      return this;
    }

    /**
     * Sets the bearer token uploads must carry.
     *
     * @param uploadToken at least 16 characters of {@code A-Z a-z 0-9 - . _ ~ + /}; default a
     *     random 256-bit token
     * @return this builder
     */
    public Builder uploadToken(String uploadToken) {
      this.uploadToken = uploadToken;
      return this;
    }

    /**
     * Sets the largest upload.
     *
     * @param maxUploadBytes at least 1; default 1 GiB
     * @return this builder
     */
    public Builder maxUploadBytes(long maxUploadBytes) {
      this.maxUploadBytes = maxUploadBytes;
      return this;
    }

    /**
     * Builds the server, not started.
     *
     * @return the server
     * @throws IllegalArgumentException naming the setting that is wrong
     */
    public ArtifactServer build() {
      if (store == null && temporaryPrefix == null) {
        throw new IllegalArgumentException("store must be set");
      }
      if (bindAddress == null || bindAddress.isBlank()) {
        throw new IllegalArgumentException("bindAddress must not be blank but was " + bindAddress);
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be between 0 and 65535 but was " + port);
      }
      if (advertisedHost.isPresent() && (advertisedHost.get().isBlank()
          || isWildcard(advertisedHost.get()) || advertisedHost.get().contains("/"))) {
        throw new IllegalArgumentException(
            "advertisedHost must be a host agents can reach but was '" + advertisedHost.get()
                + "'");
      }
      if (uploadToken != null) {
        checkToken(uploadToken);
      }
      if (maxUploadBytes < 1) {
        throw new IllegalArgumentException(
            "maxUploadBytes must be >= 1 but was " + maxUploadBytes);
      }
      if (store != null) {
        return new ArtifactServer(this, store, null);
      }
      // Last, so that a builder that fails validation leaves no directory behind; each build()
      // gets a directory of its own.
      Path directory;
      try {
        directory = Files.createTempDirectory(temporaryPrefix);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create a temporary directory " + temporaryPrefix
            + "* in " + System.getProperty("java.io.tmpdir"), e);
      }
      return new ArtifactServer(this, new DirectoryStore(directory), directory);
    }

    /** Checks a token without ever putting it in a message. */
    private static void checkToken(String token) {
      if (token.length() < 16) {
        throw new IllegalArgumentException(
            "uploadToken must be at least 16 characters but was " + token.length());
      }
      for (int i = 0; i < token.length(); i++) {
        char c = token.charAt(i);
        boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
            || "-._~+/".indexOf(c) >= 0;
        if (!ok) {
          throw new IllegalArgumentException(String.format(
              "uploadToken must hold only A-Z a-z 0-9 - . _ ~ + / but had U+%04X at index %d",
              (int) c, i));
        }
      }
    }
  }
}
