package dev.reconcile.cli.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.resource.ResourceId;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
  private static final String CLEAR = "\r\u001b[K";
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final AtomicLong clock = new AtomicLong();
  private final ResourceId web = ResourceId.container("shop", "production", "web");
  private final ResourceId api = ResourceId.container("shop", "production", "api");

  private ProgressLine line(boolean terminal, int width) {
    var stream = new PrintStream(out, true, StandardCharsets.UTF_8);
    return new ProgressLine(new Terminal(stream, stream, terminal, false), clock::get, width);
  }

  private String printed() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void onATerminal_eachUpdateRedrawsOneLineInPlace() {
    var progress = line(true, 100);

    progress.update(web, "waiting for health (1.0 s / 30 s)");
    clock.addAndGet(1_000_000_000L);
    progress.update(web, "waiting for health (2.0 s / 30 s)");

    assertThat(printed())
        .isEqualTo(CLEAR + "  ... " + web + ": waiting for health (1.0 s / 30 s)" + CLEAR + "  ... "
            + web + ": waiting for health (2.0 s / 30 s)");
  }

  @Test
  void onATerminal_updatesFasterThanTenASecondAreNotAllDrawn() {
    var progress = line(true, 100);

    progress.update(web, "pulling: 1.0 / 40.0 MB");
    clock.addAndGet(20_000_000L);
    progress.update(web, "pulling: 1.5 / 40.0 MB");
    clock.addAndGet(100_000_000L);
    progress.update(web, "pulling: 4.0 / 40.0 MB");

    assertThat(printed())
        .isEqualTo(CLEAR + "  ... " + web + ": pulling: 1.0 / 40.0 MB" + CLEAR + "  ... " + web
            + ": pulling: 4.0 / 40.0 MB");
  }

  @Test
  void onATerminal_aFinishedLinePushesTheProgressLineDown() {
    var stream = new PrintStream(out, true, StandardCharsets.UTF_8);
    var view = new ApplyView(new Terminal(stream, stream, true, false));

    view.progress(web, "waiting for health (1.0 s / 30 s)");
    view.progress(api, "waiting for health (0.5 s / 30 s)");
    view.step(web, "healthy after 1.2 s");
    view.step(api, "healthy after 0.9 s");

    assertThat(printed())
        .endsWith(CLEAR + "  " + web + ": healthy after 1.2 s\n"
            + CLEAR + "  ... " + api + ": waiting for health (0.5 s / 30 s)"
            + CLEAR + "  " + api + ": healthy after 0.9 s\n");
  }

  @Test
  void onATerminal_aLineWiderThanTheTerminalIsCut() {
    var progress = line(true, 40);

    progress.update(web, "waiting for health (1.0 s / 30 s): GET /health: connection refused");

    var drawn = printed().substring(CLEAR.length());
    assertThat(drawn).hasSize(39).endsWith("…");
  }

  @Test
  void offATerminal_onlyAStepSlowerThanFiveSecondsGetsALine() {
    var progress = line(false, 100);

    progress.update(web, "waiting for health (0.1 s / 30 s)");
    clock.addAndGet(4_000_000_000L);
    progress.update(web, "waiting for health (4.1 s / 30 s)");
    assertThat(printed()).as("quiet while the step is quick").isEmpty();
    clock.addAndGet(1_000_000_000L);
    progress.update(web, "waiting for health (5.1 s / 30 s)");
    clock.addAndGet(1_000_000_000L);
    progress.update(web, "waiting for health (6.1 s / 30 s)");

    assertThat(printed()).isEqualTo("  " + web + ": waiting for health (5.1 s / 30 s)\n");
  }

  @Test
  void offATerminal_aFinishedStepStartsItsQuietTimeAgain() {
    var progress = line(false, 100);
    progress.update(web, "pulling (0 B)");
    clock.addAndGet(6_000_000_000L);
    progress.done(web);

    progress.update(web, "waiting for health (0.1 s / 30 s)");

    assertThat(printed()).isEmpty();
  }
}
