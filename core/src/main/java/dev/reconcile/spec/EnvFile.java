package dev.reconcile.spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
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

  /** The most an env file may hold: far above any real one, far below what would exhaust memory. */
  static final long MAX_BYTES = 1 << 20;

  /**
   * The values of an env file; none when there is no file. Refused, with why, when it is not a
   * regular file (a FIFO would hang the read, /dev/zero never end it), is larger than {@link
   * #MAX_BYTES}, or is a link that leads nowhere (a loop is not a missing file).
   */
  public static Map<String, String> read(Path file) throws IOException {
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return Map.of();
    }
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (FileSystemException e) {
      throw new IOException(
          "env file " + file + " cannot be read: "
              + (e.getReason() == null ? e.getClass().getSimpleName() : e.getReason())
              + " (a link that leads nowhere, or in a loop?)",
          e);
    }
    if (!attributes.isRegularFile()) {
      throw new IOException("env file " + file + " is not a regular file ("
          + (attributes.isDirectory() ? "a folder" : "a device, a pipe or a socket") + ")");
    }
    if (attributes.size() > MAX_BYTES) {
      throw new IOException("env file " + file + " holds " + attributes.size()
          + " bytes, more than the " + MAX_BYTES + " an env file may");
    }
    try (var in = Files.newInputStream(file)) {
      var bytes = in.readNBytes((int) MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) {
        throw new IOException(
            "env file " + file + " grew past " + MAX_BYTES + " bytes while it was read");
      }
      return parse(new String(bytes, StandardCharsets.UTF_8));
    }
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
