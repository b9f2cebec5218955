package dev.reconcile.compose;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What import reads was written by someone else: a compose file, an nginx site or a value with
 * {@code $} in it gives a draft or a clear refusal, never an exception. One fuzz test for the
 * three readers (the first byte picks one), so every build fuzzes all of them for real
 * (-Dfuzz.duration, as in core); replayed with the unit tests.
 */
class ComposeFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void anyInput_givesADraftOrARefusal(FuzzedDataProvider data) throws Exception {
    int reader = data.consumeInt(0, 2);
    var text = data.consumeRemainingAsString();
    switch (reader) {
      case 0 -> {
        Substitution.resolve(text, n -> Optional.of("v"), new TreeSet<>());
        Substitution.rewrite(text, n -> Optional.empty(), new TreeSet<>());
        ShellWords.split(text);
      }
      case 1 -> {
        try {
          NginxSite.parse(text, "site.conf");
        } catch (NginxSite.Unreadable expected) {
          // a clear refusal
        }
      }
      default -> {
        var dir = Files.createTempDirectory("rc-compose-fuzz");
        var file = dir.resolve("docker-compose.yml");
        try {
          Files.writeString(file, text);
          ComposeImport.draft(ComposeImport.Options.of(List.of(file)), Map.of());
        } finally {
          Files.deleteIfExists(file);
          Files.deleteIfExists(dir);
        }
      }
    }
  }
}
