package dev.mesoskit.core;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Captures what the framework runtime logs while it is open, for tests that assert exact log
 * lines. The tests' slf4j binding (slf4j-simple, see {@code simplelogger.properties}) writes to
 * whatever {@code System.err} is at each call, so this swaps it for a buffer (and still copies
 * every byte to the real stream). Frameworks under test run on the test thread
 * ({@link TestRig}), so the lines are there as soon as the call that logged them returns.
 *
 * <pre>{@code
 * try (CapturedLog log = new CapturedLog()) {
 *   rig.offer("a1", "cpus:1;mem:128");
 *   assertThat(log.lines("WARN")).containsExactly("task not placed task=t1 reason=...");
 * }
 * }</pre>
 */
final class CapturedLog implements AutoCloseable {
  private static final Pattern LINE = Pattern.compile("\\] (TRACE|DEBUG|INFO|WARN|ERROR)"
      + " dev\\.mesoskit\\.core\\.internal\\.FrameworkRuntime - (.*)");

  private final PrintStream original = System.err;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

  CapturedLog() {
    System.setErr(new PrintStream(new Tee(), true, StandardCharsets.UTF_8));
  }

  /** The messages the runtime logged at {@code level} so far, in order, without the prefix. */
  List<String> lines(String level) {
    List<String> out = new ArrayList<>();
    for (String line : buffer.toString(StandardCharsets.UTF_8).split("\\R")) {
      Matcher m = LINE.matcher(line);
      if (m.find() && m.group(1).equals(level)) {
        out.add(m.group(2));
      }
    }
    return out;
  }

  /** Forgets the lines captured so far. */
  void clear() {
    buffer.reset();
  }

  @Override
  public void close() {
    System.setErr(original);
  }

  private final class Tee extends java.io.OutputStream {
    @Override
    public void write(int b) {
      buffer.write(b);
      original.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      buffer.write(b, off, len);
      original.write(b, off, len);
    }
  }
}
