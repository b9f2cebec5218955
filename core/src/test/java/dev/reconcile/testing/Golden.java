package dev.reconcile.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Golden files: the expected output is a file reviewed as a user would read it. Run the tests
 * with {@code -Dreconcile.golden.update=true} to rewrite them, then review the diff.
 */
public final class Golden {
  private Golden() {}

  public static boolean updating() {
    return Boolean.getBoolean("reconcile.golden.update");
  }

  /** Compares {@code actual} with the file, or rewrites the file when updating. */
  public static void assertMatches(Path expectedFile, String actual) {
    try {
      if (updating()) {
        Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
        return;
      }
      assertThat(expectedFile)
          .as("golden file %s (run with -Dreconcile.golden.update=true to create it)", expectedFile)
          .exists();
      var expected = Files.readString(expectedFile, StandardCharsets.UTF_8);
      assertThat(actual).as("output compared with %s", expectedFile).isEqualTo(expected);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The case folders below a folder of golden cases, sorted by name. */
  public static Stream<Path> cases(Path root) {
    try (var list = Files.list(root)) {
      // Not hidden folders: a CLI test planning a golden spec leaves its state directory there.
      return list
          .filter(Files::isDirectory)
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted()
          .toList()
          .stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The bad-input corpus of core, from any module's directory. */
  public static Path invalidCorpus() {
    for (var candidate :
        new String[] {"src/test/resources/invalid", "../core/src/test/resources/invalid"}) {
      var p = Path.of(candidate);
      if (Files.isDirectory(p)) {
        return p;
      }
    }
    throw new IllegalStateException(
        "the invalid corpus is not found from " + Path.of("").toAbsolutePath());
  }
}
