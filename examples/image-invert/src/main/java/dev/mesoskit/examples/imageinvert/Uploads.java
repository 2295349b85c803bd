package dev.mesoskit.examples.imageinvert;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** PUTs bytes to the artifact server with the bearer token and the SHA-256 it checks. */
final class Uploads {
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
      .followRedirects(HttpClient.Redirect.NORMAL).build();

  private Uploads() {}

  /** Uploads {@code bytes} as {@code <base>inverted/<name>}; IOException unless 2xx. */
  static void put(String base, String token, String name, byte[] bytes)
      throws IOException, InterruptedException {
    HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(base + "inverted/" + name))
        .header("Authorization", "Bearer " + token)
        .header("X-Checksum-Sha256", Digests.sha256(bytes))
        .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (put.statusCode() / 100 != 2) {
      throw new IOException("upload of " + name + " failed: HTTP " + put.statusCode() + " "
          + put.body().strip());
    }
  }

}
