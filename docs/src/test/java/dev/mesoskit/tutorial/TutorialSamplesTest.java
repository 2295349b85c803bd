package dev.mesoskit.tutorial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TutorialSamplesTest {
  static final Path ROOT = Path.of(System.getProperty("mesoskit.root", "..")).toAbsolutePath()
      .normalize();

  @Test
  void everySampleOfTheTutorialEqualsItsTestedRegion() {
    List<Path> pages = Snippets.pages(ROOT.resolve("docs/src/main"));
    assertThat(pages).as("tutorial pages").isNotEmpty();
    assertThat(pages.stream().mapToInt(p -> Snippets.samples(p).size()).sum())
        .as("samples in the tutorial").isGreaterThanOrEqualTo(10);
    List<String> problems = Snippets.check(ROOT, pages);
    assertThat(problems).as(String.join("\n", problems)).isEmpty();
  }

  @Test
  void aSampleThatDiffersFromItsRegionIsReportedWithTheFirstDifferentLine(@TempDir Path root)
      throws IOException {
    Files.writeString(root.resolve("Code.java"), """
        class Code {
          void run() {
            // tutorial:begin run
            int a = 1;
            int b = a + 1;
            // tutorial:end run
          }
        }
        """);
    Path page = Files.writeString(root.resolve("package-info.java"), """
        /**
         * <!-- region: Code.java#run -->
         * <pre>{@code
         * int a = 1;
         * int b = a + 2;
         * }</pre>
         */
        package x;
        """);
    assertThat(Snippets.check(root, List.of(page))).containsExactly("package-info.java:3: sample"
        + " differs from Code.java#run: line 2 of the region is [int b = a + 1;] but the sample"
        + " has [int b = a + 2;]");
  }

  @Test
  void aSampleEqualToItsRegionUpToIndentationAndNestedMarkersPasses(@TempDir Path root)
      throws IOException {
    Files.writeString(root.resolve("Code.java"), """
        class Code {
          void run() {
            // tutorial:begin outer
            int a = 1;
            // tutorial:begin inner
            int b = a + 1;
            // tutorial:end inner
            // tutorial:end outer
          }
        }
        """);
    Path page = Files.writeString(root.resolve("page.html"), """
        <p>Both:
        <!-- region: Code.java#outer -->
        <pre>{@code
            int a = 1;
            int b = a + 1;
        }</pre>
        <!-- region: Code.java#inner -->
        <pre>{@code
        int b = a + 1;
        }</pre>
        """);
    assertThat(Snippets.check(root, List.of(page))).isEmpty();
  }

  @Test
  void aSampleWithoutMarkerOrWithAMissingRegionIsReported(@TempDir Path root) throws IOException {
    Files.writeString(root.resolve("Code.java"), "// tutorial:begin a\nx();\n// tutorial:end a\n");
    Path page = Files.writeString(root.resolve("page.html"), """
        <pre>{@code
        x();
        }</pre>
        <!-- region: Code.java#b -->
        <pre>{@code
        x();
        }</pre>
        <!-- region: Gone.java#a -->
        <pre>{@code
        x();
        }</pre>
        """);
    assertThat(Snippets.check(root, List.of(page))).containsExactly(
        "page.html:1: sample has no <!-- region: PATH#NAME --> marker on the line before it, so"
            + " no test runs it",
        "page.html:5: Code.java has no region 'b'",
        "page.html:9: region file Gone.java does not exist");
  }

  @Test
  void aRegionThatNeverEndsIsAnError(@TempDir Path root) throws IOException {
    Path code = Files.writeString(root.resolve("Code.java"), "// tutorial:begin a\nx();\n");
    assertThatThrownBy(() -> Snippets.regions(code)).isInstanceOf(IllegalStateException.class)
        .hasMessage(code + ":1: region 'a' never ends");
  }
}
