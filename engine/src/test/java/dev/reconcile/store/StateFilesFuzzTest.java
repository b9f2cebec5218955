package dev.reconcile.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.reconcile.history.BackupManifest;
import dev.reconcile.history.SnapshotJson;
import dev.reconcile.host.StateHome;
import dev.reconcile.plan.json.PlanFormatException;
import dev.reconcile.plan.json.PlanJson;
import dev.reconcile.provider.RevisionAnswer;
import dev.reconcile.spec.EnvFile;
import dev.reconcile.traffic.Request;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a run reads back was written by another run that may have been killed in the middle, by a
 * full disk or by hand; a saved plan and an env file come from users; the access log and the
 * revision answer hold whatever clients sent: each reader gives a value or its clear refusal,
 * never another exception. A journal that cannot be read still says a run was under way. One fuzz
 * test for all of them (the last byte picks one), so every build fuzzes each for real
 * (-Dfuzz.duration, as in core); replayed with the unit tests.
 */
class StateFilesFuzzTest {
  private static final Path HOME = temporaryHome();

  @FuzzTest(maxDuration = "30s")
  void anyText_givesAValueOrARefusal(FuzzedDataProvider data) throws IOException {
    int reader = data.consumeInt(0, 7);
    var text = data.consumeRemainingAsString();
    switch (reader) {
      case 0 -> Request.parse(text); // one line of an access log
      case 1 -> {
        try {
          SnapshotJson.read(text);
        } catch (IOException refused) {
          // a clear refusal: history names the file
        }
      }
      case 2 -> BackupManifest.read(text);
      case 3 -> {
        Files.writeString(HOME.resolve("restores/fuzz.production.json"), text);
        assertThat(new RestoreJournal(new StateHome.Local(HOME)).unfinished("fuzz/production"))
            .as("a restore journal that is there says a restore is unfinished")
            .isPresent();
      }
      case 4 -> {
        Files.writeString(HOME.resolve("journal/fuzz.production.json"), text);
        assertThat(new ApplyJournal(new StateHome.Local(HOME)).unfinished("fuzz/production"))
            .as("an apply journal that is there says an apply is unfinished")
            .isPresent();
      }
      case 5 -> {
        try {
          PlanJson.read(text); // a saved plan, perhaps edited by hand
        } catch (PlanFormatException refused) {
          // a clear refusal: apply names the file
        }
      }
      case 6 -> EnvFile.parse(text);
      default -> RevisionAnswer.parse(text); // what nginx answered at the revision path
    }
  }

  private static Path temporaryHome() {
    try {
      var home = Files.createTempDirectory("rc-state-fuzz");
      // Deleted at exit in the reverse order: the files, their folders, the home.
      home.toFile().deleteOnExit();
      for (var dir : List.of("restores", "journal")) {
        Files.createDirectories(home.resolve(dir)).toFile().deleteOnExit();
        home.resolve(dir).resolve("fuzz.production.json").toFile().deleteOnExit();
      }
      return home;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
