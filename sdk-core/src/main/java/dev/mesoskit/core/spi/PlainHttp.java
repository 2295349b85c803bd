package dev.mesoskit.core.spi;

import java.net.URI;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * JDK HTTP clients for plain {@code http://} endpoints that start without TLS.
 *
 * <p>Why: a JDK {@link HttpClient} built without an {@code SSLContext} takes
 * {@code SSLContext.getDefault()} when it is built, even if it never speaks TLS: that loads the
 * security providers and JSSE and parses the JDK's trusted certificates: in a bare JVM on a
 * loaded 2-core machine, building a default client took 0.47 to 0.56 s of CPU and one with this
 * context 0.08 to 0.10 s; in an executor JVM it was about a fifth of the CPU spent before the
 * first task ran. A client built here with {@link #builder()} carries {@link #sslContext()}, a
 * context that costs nothing and refuses TLS: a request to an {@code https://} URI fails with an
 * {@link UnsupportedOperationException} whose message says so. Use it only for endpoints known to
 * be {@code http://} (see {@link #isPlain}), e.g. the agent an executor talks to.
 *
 * <pre>{@code
 * HttpClient client = PlainHttp.isPlain(agent)
 *     ? PlainHttp.builder().build()
 *     : HttpClient.newBuilder().build();
 * }</pre>
 *
 * <p>Threading: the context and the builders are safe to use from any thread.
 */
public final class PlainHttp {
  private static final SSLContext NO_TLS = new NoTls();

  private PlainHttp() {}

  /**
   * Whether a URI is plain HTTP.
   *
   * @param uri a URI
   * @return true when its scheme is {@code http} (in any case)
   */
  public static boolean isPlain(URI uri) {
    return uri.getScheme() != null && uri.getScheme().equalsIgnoreCase("http");
  }

  /**
   * The context that refuses TLS; giving it to {@code HttpClient.Builder.sslContext} keeps the
   * JDK from initializing its own.
   *
   * @return the one shared context
   */
  public static SSLContext sslContext() {
    return NO_TLS;
  }

  /**
   * A client builder with {@link #sslContext()}, for plain HTTP only.
   *
   * @return a new builder
   */
  public static HttpClient.Builder builder() {
    return HttpClient.newBuilder().sslContext(NO_TLS);
  }

  /** An SSLContext with no provider behind it: TLS fails, everything else is free. */
  private static final class NoTls extends SSLContext {
    NoTls() {
      super(new Refusing(), null, "none");
    }
  }

  private static final class Refusing extends SSLContextSpi {
    private static UnsupportedOperationException refused() {
      return new UnsupportedOperationException("this HTTP client is for plain http:// only"
          + " (dev.mesoskit.core.spi.PlainHttp); TLS needs a client with an SSLContext");
    }

    @Override
    protected void engineInit(KeyManager[] keys, TrustManager[] trust, SecureRandom random) {
      throw refused();
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      throw refused();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      throw refused();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      throw refused();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      throw refused();
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      throw refused();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      throw refused();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      return new SSLParameters(); // asked for when a client is built; never used without TLS
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return new SSLParameters();
    }
  }
}
