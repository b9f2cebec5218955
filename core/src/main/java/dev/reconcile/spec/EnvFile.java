package dev.reconcile.spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A file of {@code KEY=VALUE} lines ({@code #} comments, optional {@code export}, optional
 * single or double quotes), where {@code ${VAR}} values come from.
 */
public final class EnvFile {
  private EnvFile() {}

  public static Map<String, String> parse(String text) {
    var values = new LinkedHashMap<String, String>();
    for (var raw : text.split("\\R")) {
      var line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("export ")) {
        line = line.substring("export ".length()).strip();
      }
      var eq = line.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      values.put(line.substring(0, eq).strip(), unquote(line.substring(eq + 1).strip()));
    }
    return values;
  }

  public static Map<String, String> read(Path file) throws IOException {
    return Files.exists(file) ? parse(Files.readString(file, StandardCharsets.UTF_8)) : Map.of();
  }

  /** Variables as {@code ${VAR}} sees them: the process environment first, then the file. */
  public static Function<String, Optional<String>> lookup(
      Map<String, String> processEnv, Map<String, String> fileValues) {
    return name -> Optional.ofNullable(processEnv.get(name))
        .or(() -> Optional.ofNullable(fileValues.get(name)));
  }

  private static String unquote(String value) {
    if (value.length() >= 2
        && (value.startsWith("\"") && value.endsWith("\"")
            || value.startsWith("'") && value.endsWith("'"))) {
      return value.substring(1, value.length() - 1);
    }
    return value;
  }
}
