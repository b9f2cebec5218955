package dev.reconcile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.execute.CrashPoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every crash point the code defines is listed, and a test kills the tool there: the crash
 * matrix's rows cannot fall behind the code (two points were once never triggered).
 */
class CrashPointsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern NAME = Pattern.compile("\"([a-z-]+)\"");

  /** The names inside each {@code CrashPoints.reached(...)} of the modules' sources. */
  private static TreeSet<String> reachedInTheCode() throws IOException {
    var found = new TreeSet<String>();
    for (var file : sources("src/main/java")) {
      var text = Files.readString(file);
      for (int at = text.indexOf("CrashPoints.reached(");
          at >= 0;
          at = text.indexOf("CrashPoints.reached(", at + 1)) {
        var call = text.substring(at, text.indexOf(");", at));
        var names = NAME.matcher(call);
        while (names.find()) {
          found.add(names.group(1));
        }
      }
    }
    return found;
  }

  private static List<Path> sources(String under) throws IOException {
    var out = new ArrayList<Path>();
    try (var modules = Files.list(ROOT)) {
      for (var module : modules.filter(m -> Files.isDirectory(m.resolve(under))).toList()) {
        try (var files = Files.walk(module.resolve(under))) {
          files.filter(f -> f.toString().endsWith(".java")).forEach(out::add);
        }
      }
    }
    return out;
  }

  @Test
  void everyPointTheCodeReaches_isListed() throws IOException {
    var listed = new TreeSet<String>();
    Stream.of(CrashPoints.STEPS, CrashPoints.APPLY_ELSEWHERE, CrashPoints.OPERATIONS)
        .forEach(names -> listed.addAll(List.of(names)));

    assertThat(reachedInTheCode()).isEqualTo(listed);
  }

  @Test
  void everyPointOutsideTheMatrix_isKilledAtByATest() throws IOException {
    var tests = new StringBuilder();
    for (var file : sources("src/test/java")) {
      if (file.getFileName().toString().endsWith("IT.java")) {
        tests.append(Files.readString(file));
      }
    }
    for (var point : Stream.of(CrashPoints.APPLY_ELSEWHERE, CrashPoints.OPERATIONS)
        .flatMap(Stream::of)
        .toList()) {
      assertThat(tests.toString()).as(point).contains("\"" + point + "\"");
    }
  }
}
