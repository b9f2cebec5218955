package dev.reconcile.providers.ssh;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * This machine's terminal, while a program on a server uses it through SSH: raw (every key goes
 * over as typed, the server's terminal echoes) and back, with stty on /dev/tty.
 */
final class LocalTerminal {
  private LocalTerminal() {}

  /** Puts the terminal in raw mode; false when there is none to change. */
  static boolean raw() {
    return stty("raw", "-echo") != null;
  }

  static void restore() {
    stty("sane");
  }

  /** {rows, columns}; 24x80 when the terminal does not say. */
  static int[] size() {
    var said = stty("size");
    if (said != null) {
      var parts = said.strip().split("\\s+");
      if (parts.length == 2) {
        try {
          return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        } catch (NumberFormatException e) {
          // fall through
        }
      }
    }
    return new int[] {24, 80};
  }

  private static @Nullable String stty(String... args) {
    var argv = new ArrayList<String>(List.of("stty"));
    argv.addAll(List.of(args));
    try {
      var process = new ProcessBuilder(argv).redirectInput(new File("/dev/tty")).start();
      var out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return process.waitFor() == 0 ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
