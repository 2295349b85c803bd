package dev.mesoskit.tutorial;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.artifacts.ArtifactServerCommand;
import dev.mesoskit.core.Backends;
import dev.mesoskit.examples.imageinvert.InvertImages;
import dev.mesoskit.examples.webserver.WebServers;
import dev.mesoskit.tutorial.chapter6.RealCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The flag reference lists exactly the flags each program declares, with their defaults. To add
 * a program (an example's picocli command), add its table to the reference page and a line to
 * {@link #PROGRAMS}.
 */
class FlagReferenceTest {
  static final Path PAGE = TutorialSamplesTest.ROOT.resolve(
      "docs/src/main/java/dev/mesoskit/tutorial/reference/package-info.java");

  /** Table id on the page, and the command whose options it documents. */
  static final Map<String, CommandLine> PROGRAMS = new LinkedHashMap<>();

  static {
    PROGRAMS.put("flags-mesoskit-local", localCluster());
    PROGRAMS.put("flags-mesoskit-artifacts", new CommandLine(new ArtifactServerCommand()));
    PROGRAMS.put("flags-real-cluster", RealCluster.commandLine());
    PROGRAMS.put("flags-image-invert", new CommandLine(new InvertImages()));
    PROGRAMS.put("flags-webserver", new CommandLine(new WebServers()));
    CommandLine mesoskit = dev.mesoskit.cli.MesosKitCommand.commandLine();
    for (String command : List.of("agents", "frameworks", "tasks", "logs", "teardown")) {
      PROGRAMS.put("flags-mesoskit-" + command, mesoskit.getSubcommands().get(command));
    }
  }

  @Test
  void thePageListsTheFlagsOfEveryProgramWithTheirDefaults() throws IOException {
    Map<String, List<Row>> tables = tables(Files.readString(PAGE));
    assertThat(tables.keySet()).as("tables on " + PAGE)
        .containsAll(PROGRAMS.keySet()).contains("flags-backends");
    PROGRAMS.forEach((table, command) -> {
      List<Row> expected = new ArrayList<>();
      for (OptionSpec o : command.getCommandSpec().options()) {
        if (o.hidden()) {
          continue; // not for users, e.g. a test's polling interval
        }
        // "null" when there is none, "{}" or "[]" for a repeatable option given no value
        String value = o.defaultValueString();
        String dflt = o.usageHelp() || o.versionHelp() || value == null || value.isEmpty()
            || value.equals("null") || value.equals("{}") || value.equals("[]") ? "none" : value;
        expected.add(new Row(List.of(o.names()), dflt));
      }
      assertThat(tables.get(table)).as(table + " on " + PAGE + " against the options of "
          + command.getCommandName()).containsExactlyInAnyOrderElementsOf(expected);
    });
  }

  @Test
  void theSchedulerTableListsExactlyTheOptionsOfBackendsFromArgs() throws IOException {
    List<Row> rows = tables(Files.readString(PAGE)).get("flags-backends");
    assertThat(rows).extracting(r -> r.flags().get(0)).containsExactlyElementsOf(Backends.OPTIONS);
  }

  @Test
  void aTableIsReadIntoItsFlagsAndDefaults() {
    String page = """
         * <table class="striped" id="flags-x">
         * <tbody>
         * <tr><th scope="row">{@code --a}</th><td>{@code 2}</td><td>number
         *   of things</td></tr>
         * <tr><th scope="row">{@code -h}, {@code --help}</th><td>none</td><td>help</td></tr>
         * </tbody>
         * </table>
        """;
    assertThat(tables(page)).isEqualTo(Map.of("flags-x", List.of(
        new Row(List.of("--a"), "2"), new Row(List.of("-h", "--help"), "none"))));
  }

  record Row(List<String> flags, String defaultValue) {}

  static Map<String, List<Row>> tables(String page) {
    String text = page.lines().map(l -> l.replaceFirst("^\\s*\\* ?", ""))
        .reduce("", (a, b) -> a + b + "\n");
    Map<String, List<Row>> tables = new LinkedHashMap<>();
    Matcher t = Pattern.compile("<table[^>]*id=\"([^\"]+)\"[^>]*>(.*?)</table>", Pattern.DOTALL)
        .matcher(text);
    Pattern row = Pattern.compile(
        "<tr><th scope=\"row\">(.*?)</th><td>(.*?)</td><td>.*?</td></tr>", Pattern.DOTALL);
    while (t.find()) {
      List<Row> rows = new ArrayList<>();
      Matcher r = row.matcher(t.group(2));
      while (r.find()) {
        List<String> flags = Arrays.stream(r.group(1).split(","))
            .map(String::strip).map(FlagReferenceTest::code).toList();
        String dflt = r.group(2).strip();
        rows.add(new Row(flags, dflt.equals("none") ? dflt : code(dflt)));
      }
      tables.put(t.group(1), rows);
    }
    return tables;
  }

  private static String code(String cell) {
    if (!cell.startsWith("{@code ") || !cell.endsWith("}")) {
      throw new IllegalArgumentException("expected {@code ...} but was " + cell);
    }
    return cell.substring("{@code ".length(), cell.length() - 1);
  }

  private static CommandLine localCluster() {
    try {
      // its constructor is private, as a main class's; picocli instantiates it reflectively
      return new CommandLine(Class.forName("dev.mesoskit.local.LocalClusterMain"));
    } catch (ClassNotFoundException e) {
      throw new AssertionError("sdk-local is not on the class path", e);
    }
  }
}
