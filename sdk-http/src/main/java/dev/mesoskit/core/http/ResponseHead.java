package dev.mesoskit.core.http;

import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The status and headers of an answer, whichever HTTP client read them: the JDK's
 * {@code java.net.http} client ({@link #of(int, HttpHeaders)}) or a {@link BlockingPost}.
 *
 * @param status the status code
 * @param headers each header's first value by name, looked up in any case
 */
record ResponseHead(int status, Map<String, String> headers) {
  ResponseHead {
    Map<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (Map.Entry<String, String> e : headers.entrySet()) {
      copy.putIfAbsent(e.getKey(), e.getValue());
    }
    headers = copy;
  }

  /** The head of an answer of the JDK's {@code java.net.http} client. */
  static ResponseHead of(int status, HttpHeaders headers) {
    Map<String, String> first = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (Map.Entry<String, List<String>> e : headers.map().entrySet()) {
      if (!e.getValue().isEmpty()) {
        first.putIfAbsent(e.getKey(), e.getValue().get(0));
      }
    }
    return new ResponseHead(status, first);
  }

  /** The first value of the header {@code name}, in any case. */
  Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name));
  }
}
