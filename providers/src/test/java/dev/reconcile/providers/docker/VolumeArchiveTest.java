package dev.reconcile.providers.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reconcile.provider.ProviderException;
import dev.reconcile.resource.ResourceId;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A volume's way out and in through helper containers, against a fake engine: the deadline is on
 * progress, not on the whole (a slow link that keeps moving is waited for, one that stops is given
 * up), and every helper goes whatever happens. {@code VolumeArchiveIT} runs it on a real engine.
 */
class VolumeArchiveTest {
  private static final ResourceId VOLUME = ResourceId.volume("shop", "production", "uploads");
  private final FakeEngine engine = new FakeEngine();
  private final AtomicInteger helpers = new AtomicInteger();

  /** The engine's side of a restore's staging: a volume, one helper that takes the upload, then counts. */
  private FakeEngine staging(String filesCounted) {
    return engine
        .on("DELETE", "/volumes/.*", r -> FakeEngine.Answer.empty(204))
        .on("POST", "/volumes/create", r -> FakeEngine.Answer.json("{\"Name\":\"v\"}"))
        .on(
            "POST",
            "/containers/create",
            r -> FakeEngine.Answer.json("{\"Id\":\"h" + helpers.incrementAndGet() + "\"}"))
        .on("PUT", "/containers/h1/archive", r -> FakeEngine.Answer.empty(200))
        .on("POST", "/containers/h1/start", r -> FakeEngine.Answer.empty(204))
        .on("POST", "/containers/h1/wait", r -> FakeEngine.Answer.json("{\"StatusCode\":0}"))
        .on(
            "GET",
            "/containers/h1/logs",
            r -> new FakeEngine.Answer(
                200, new ByteArrayInputStream(FakeEngine.frames(1, filesCounted))))
        .on("DELETE", "/containers/.*", r -> FakeEngine.Answer.empty(204));
  }

  private long removedHelpers() {
    return engine.received().stream()
        .filter(r -> r.method().equals("DELETE") && r.path().startsWith("/containers/"))
        .count();
  }

  @Test
  void stage_overASlowLinkThatKeepsMoving_takesLongerThanTheStall_andSucceeds() throws Exception {
    staging("3\n");
    // 30 chunks 50 ms apart: 1.5 s in all, never silent for the 1 s stall.
    var slow = new Trickle(30, Duration.ofMillis(50));

    long files;
    try (var host = engine.host()) {
      files = VolumeArchive.stage(host, VOLUME, "app:1", slow, Duration.ofSeconds(1));
    }

    assertThat(files).isEqualTo(3);
    var upload = engine.received().stream()
        .filter(r -> r.method().equals("PUT"))
        .findFirst()
        .orElseThrow();
    assertThat(upload.body()).hasSize(30 * Trickle.CHUNK);
    assertThat(helpers).as("one helper takes the upload and counts").hasValue(1);
    assertThat(removedHelpers()).isEqualTo(1);
  }

  @Test
  void stage_overALinkThatStops_isGivenUpAfterTheStall_sayingHowFarItGot() {
    staging("0\n");
    var stopped = new Stops(4096);

    assertThatThrownBy(() -> {
          try (var host = engine.host()) {
            VolumeArchive.stage(host, VOLUME, "app:1", stopped, Duration.ofMillis(300));
          }
        })
        .isInstanceOf(ProviderException.Transient.class)
        .hasMessageContaining("writing shop-production-uploads-restoring stalled")
        .hasMessageContaining("after 4096 bytes");
    assertThat(removedHelpers()).isEqualTo(1);
  }

  @Test
  void export_whoseOutputCannotBeWritten_saysSo_andRemovesItsHelper() {
    engine
        .on("POST", "/containers/create", r -> FakeEngine.Answer.json("{\"Id\":\"h1\"}"))
        .on(
            "GET",
            "/containers/h1/archive",
            r -> new FakeEngine.Answer(200, new ByteArrayInputStream(new byte[64 * 1024])))
        .on("DELETE", "/containers/.*", r -> FakeEngine.Answer.empty(204));
    var full = new FullDisk();

    assertThatThrownBy(() -> {
          try (var host = engine.host()) {
            VolumeArchive.export(host, VOLUME, "app:1", full);
          }
        })
        .isInstanceOf(ProviderException.Transient.class)
        .hasMessageContaining("reading volume shop-production-uploads failed: No space left");
    assertThat(removedHelpers()).isEqualTo(1);
  }

  /** A link that gives at most a chunk at a time, pausing before each. */
  private static final class Trickle extends InputStream {
    static final int CHUNK = 1024;
    private final Duration pause;
    private int left;

    Trickle(int chunks, Duration pause) {
      this.left = chunks * CHUNK;
      this.pause = pause;
    }

    @Override
    public int read() {
      throw new UnsupportedOperationException("read in chunks");
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (left == 0) {
        return -1;
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      var n = Math.min(Math.min(length, CHUNK), left);
      left -= n;
      Arrays.fill(buffer, offset, offset + n, (byte) 'x');
      return n;
    }
  }

  /** A link that gives some bytes, then nothing until it is closed. */
  private static final class Stops extends InputStream {
    private int left;
    private final CountDownLatch closed = new CountDownLatch(1);

    Stops(int bytes) {
      this.left = bytes;
    }

    @Override
    public int read() throws IOException {
      var one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0];
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (left > 0) {
        var n = Math.min(length, left);
        left -= n;
        return n;
      }
      try {
        closed.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new IOException("Stream closed");
    }

    @Override
    public void close() {
      closed.countDown();
    }
  }
}
