package dev.reconcile.providers.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reconcile.provider.ProviderException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link ContainerExec} makes of the engine's answers, against a fake engine: the output
 * demultiplexed, the exit code and standard error turned into a message, a silent command given
 * up, the input copied in as a file. {@code ContainerExecIT} runs the same against a real one.
 */
class ContainerExecTest {
  private static final String CONTAINER = "0123456789abcdef0123";
  private final FakeEngine engine = new FakeEngine();
  private final CountDownLatch never = new CountDownLatch(1);

  @AfterEach
  void release() {
    never.countDown();
  }

  private FakeEngine exec(byte[] stream, int exitCode) {
    return engine
        .on("POST", "/containers/.*/exec", r -> FakeEngine.Answer.json("{\"Id\":\"e1\"}"))
        .on(
            "POST",
            "/exec/e1/start",
            r -> new FakeEngine.Answer(200, new ByteArrayInputStream(stream)))
        .on("GET", "/exec/e1/json", r -> FakeEngine.Answer.json("{\"ExitCode\":" + exitCode + "}"));
  }

  @Test
  void out_writesStandardOutputOnly_andSucceedsOnExitZero() throws Exception {
    exec(FakeEngine.frames(1, "row 1\n", 2, "NOTICE: chatter\n", 1, "row 2\n"), 0);
    var out = new ByteArrayOutputStream();

    try (var host = engine.host()) {
      ContainerExec.out(host, CONTAINER, List.of("pg_dump", "app"), out, Duration.ofSeconds(30));
    }

    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("row 1\nrow 2\n");
    assertThat(engine.received().getFirst().text()).contains("\"pg_dump\",\"app\"");
  }

  @Test
  void out_failingCommand_saysItsExitCodeAndTheLastLinesOfItsStandardError() {
    exec(FakeEngine.frames(2, "one\ntwo\nthree\nFATAL: role \"app\" does not exist\n"), 1);

    assertThatThrownBy(() -> {
          try (var host = engine.host()) {
            ContainerExec.out(
                host, CONTAINER, List.of("pg_dump"), OutputStream.nullOutputStream(), null);
          }
        })
        .isInstanceOf(ProviderException.Terminal.class)
        .hasMessageContaining("running pg_dump in container 0123456789ab failed (exit 1): "
            + "two / three / FATAL: role \"app\" does not exist")
        .hasMessageNotContaining("one");
  }

  @Test
  void out_missingTool_saysTheContainerHasNone() {
    exec(FakeEngine.frames(2, "exec: mysqldump: not found\n"), 127);

    assertThatThrownBy(() -> {
          try (var host = engine.host()) {
            ContainerExec.out(
                host, CONTAINER, List.of("mysqldump"), OutputStream.nullOutputStream(), null);
          }
        })
        .isInstanceOfSatisfying(
            ProviderException.Terminal.class,
            e -> assertThat(e.hint()).contains("the container has no mysqldump"));
  }

  @Test
  void out_silentCommand_isGivenUpAfterTheStall() {
    engine
        .on("POST", "/containers/.*/exec", r -> FakeEngine.Answer.json("{\"Id\":\"e1\"}"))
        .on("POST", "/exec/e1/start", r -> new FakeEngine.Answer(200, silence()));

    assertThatThrownBy(() -> {
          try (var host = engine.host()) {
            ContainerExec.out(
                host,
                CONTAINER,
                List.of("pg_dump"),
                OutputStream.nullOutputStream(),
                Duration.ofMillis(200));
          }
        })
        .isInstanceOf(ProviderException.Transient.class)
        .hasMessageContaining("gave no output for");
  }

  @Test
  void out_outputThatCannotBeWritten_isReportedAsSuch() {
    exec(FakeEngine.frames(1, "row 1\n"), 0);
    var full = new FullDisk();

    assertThatThrownBy(() -> {
          try (var host = engine.host()) {
            ContainerExec.out(host, CONTAINER, List.of("pg_dump"), full, null);
          }
        })
        .isInstanceOf(ProviderException.Transient.class)
        .hasMessageContaining("writing its output failed: No space left on device");
  }

  @Test
  void in_copiesTheInputAsAFile_runsTheArgvOnIt_thenRemovesIt() throws Exception {
    exec(FakeEngine.frames(), 0)
        .on("PUT", "/containers/.*/archive", r -> FakeEngine.Answer.empty(200));
    var dump = "INSERT INTO t VALUES (1);\n".getBytes(StandardCharsets.UTF_8);

    try (var host = engine.host()) {
      ContainerExec.in(
          host,
          CONTAINER,
          List.of("psql", "-U", "app"),
          new ByteArrayInputStream(dump),
          dump.length);
    }

    var put = engine.received().stream()
        .filter(r -> r.method().equals("PUT"))
        .findFirst()
        .orElseThrow();
    String file;
    try (var tar = new TarArchiveInputStream(new ByteArrayInputStream(put.body()))) {
      var entry = tar.getNextEntry();
      file = "/tmp/" + entry.getName();
      assertThat(entry.getSize()).isEqualTo(dump.length);
      assertThat(tar.readAllBytes()).isEqualTo(dump);
    }
    var execs =
        engine.received().stream().filter(r -> r.path().endsWith("/exec")).toList();
    assertThat(execs.get(0).text())
        .contains("\"sh\",\"-c\",\"exec \\\"$@\\\" < \\\"$0\\\"\",\"" + file
            + "\",\"psql\",\"-U\",\"app\"");
    assertThat(execs.get(1).text()).contains("\"rm\",\"-f\",\"" + file + "\"");
  }

  /** A stream that gives nothing until the test ends. */
  private InputStream silence() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        try {
          never.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return -1;
      }
    };
  }
}
