package dev.mesoskit.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * One run of {@code mesoskit} with its exit code, stdout and stderr. {@code out} is what the
 * commands print as text; {@code bytes} is what {@code logs} writes to stdout byte for byte.
 */
record Run(int exitCode, String out, String err, byte[] bytes) {
  static Run of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CommandLine cl = MesosKitCommand.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    ((LogsCommand) cl.getSubcommands().get("logs").getCommand()).stdout = bytes;
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString(), bytes.toByteArray());
  }

  /** The bytes expected of {@code logs} that prints {@code text}. */
  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
