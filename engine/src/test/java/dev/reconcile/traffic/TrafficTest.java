package dev.reconcile.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.host.BoundedInput;
import dev.reconcile.host.Host;
import dev.reconcile.providers.host.LocalHost;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class TrafficTest {
  @TempDir
  Path dir;

  private final Instant now = Instant.parse("2026-12-02T12:00:00Z");

  private static String line(String time, int status, String upstream) {
    return "{\"time\":\"" + time + "\",\"status\":" + status
        + ",\"method\":\"GET\",\"path\":\"/\",\"duration\":0.002," + "\"bytes\":12,\"upstream\":\""
        + upstream + "\",\"upstream_status\":\"" + status + "\",\"host\":\"a.test\"}";
  }

  @Test
  void parse_readsTheToolsLines_andSkipsTornAndForeignOnes() {
    assertThat(Request.parse(
            line("2026-12-02T11:59:30+00:00", 502, "127.0.0.1:20001, 127.0.0.1:20002")))
        .contains(new Request(Instant.parse("2026-12-02T11:59:30Z"), 502, "127.0.0.1:20002"));
    assertThat(Request.parse(line("2026-12-02T11:59:30+01:00", 200, "-"))).hasValueSatisfying(r -> {
      assertThat(r.time()).isEqualTo(Instant.parse("2026-12-02T10:59:30Z"));
      assertThat(r.upstream()).isEmpty();
    });
    assertThat(Request.parse("atus\":200,\"method\":\"GET\"}")).isEmpty();
    assertThat(Request.parse("127.0.0.1 - - [02/Dec/2026] \"GET / HTTP/1.1\" 200"))
        .isEmpty();
    assertThat(Request.parse("{\"status\":\"x\"}")).isEmpty();
  }

  @Test
  void traffic_countsTheWindowOnly_perMinuteAndTheShareOf5xx() {
    var requests = new ArrayList<Request>();
    for (var i = 0; i < 90; i++) {
      requests.add(new Request(now.minusSeconds(i), i % 10 == 0 ? 503 : 200, "127.0.0.1:20001"));
    }
    requests.add(new Request(now.minusSeconds(600), 500, "127.0.0.1:20001"));

    var last = Traffic.of(requests, now, Duration.ofMinutes(5), r -> true);
    var slot = Traffic.of(
        requests, now, Duration.ofMinutes(5), r -> r.upstream().equals("127.0.0.1:20002"));

    assertThat(last.requests()).isEqualTo(90);
    assertThat(last.serverErrors()).isEqualTo(9);
    assertThat(last.perMinute()).isEqualTo(18.0);
    assertThat(last.serverErrorShare()).isEqualTo(0.1);
    assertThat(slot.requests()).isZero();
    assertThat(slot.serverErrorShare()).isZero();
  }

  @Test
  void accessLog_recentReadsOnlyItsEnd_andSkipsTheLineTheTailBeganIn() throws Exception {
    var file = dir.resolve("big.production.access.log");
    var one = line("2026-12-02T11:59:00+00:00", 200, "127.0.0.1:20001") + "\n";
    var lines = (int) (AccessLog.TAIL_BYTES / one.length()) + 100;
    Files.writeString(file, one.repeat(lines));
    var log = new AccessLog(new LocalHost("local"), file);

    // The tail begins inside a line unless the sizes happen to divide; whole lines only, either
    // way.
    var whole = (int) (AccessLog.TAIL_BYTES / one.length());
    assertThat(log.recent()).hasSizeBetween(whole - 1, whole).allMatch(r -> r.status() == 200);
  }

  /** A log that grows faster than it is read (a busy site over SSH): read up to its size. */
  @Test
  @Timeout(30)
  void accessLog_readsUpToTheSizeItTook_whileTheLogKeepsGrowing() throws Exception {
    var file = dir.resolve("busy.production.access.log");
    Files.writeString(file, line("2026-12-02T11:59:00+00:00", 200, "127.0.0.1:20001") + "\n");
    var offset = Files.size(file);
    Files.writeString(
        file,
        line("2026-12-02T11:59:01+00:00", 500, "127.0.0.1:20002") + "\n",
        StandardOpenOption.APPEND);
    var local = new LocalHost("local");
    var endless = line("2026-12-02T11:59:02+00:00", 502, "127.0.0.1:20002") + "\n";
    var growing = (Host) Proxy.newProxyInstance(
        Host.class.getClassLoader(), new Class<?>[] {Host.class}, (proxy, method, args) -> {
          if (method.getName().equals("download") && args.length == 3) {
            // What the file holds, then lines written faster than they are read, without end:
            // a host keeps to the length asked for (HostContract), so the log must ask for one.
            var more = new InputStream() {
              private int at;

              @Override
              public int read() {
                return endless.charAt(at++ % endless.length());
              }
            };
            var held = local.download((Path) args[0], (long) args[1], Long.MAX_VALUE);
            return new BoundedInput(new SequenceInputStream(held, more), (long) args[2]);
          }
          try {
            return method.invoke(local, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });

    assertThat(new AccessLog(growing, file).after(offset))
        .extracting(Request::status)
        .containsExactly(500);
  }

  @Test
  void accessLog_readsWhatCameAfterAnOffset_andRotatesPastItsLimit() throws Exception {
    var file = dir.resolve("shop.production.access.log");
    var log = new AccessLog(new LocalHost("local"), file);
    assertThat(log.size()).isZero();
    assertThat(log.recent()).isEmpty();

    Files.writeString(file, line("2026-12-02T11:59:00+00:00", 200, "127.0.0.1:20001") + "\n");
    var offset = log.size();
    Files.writeString(
        file,
        line("2026-12-02T11:59:01+00:00", 500, "127.0.0.1:20002") + "\n",
        java.nio.file.StandardOpenOption.APPEND);

    assertThat(log.recent()).hasSize(2);
    assertThat(log.after(offset)).extracting(Request::status).containsExactly(500);
    assertThat(log.rotateIfLarge()).isFalse();

    // Rotated since the offset was taken: all of the new log came after it.
    Files.writeString(file, line("2026-12-02T11:59:02+00:00", 502, "127.0.0.1:20002") + "\n");
    assertThat(log.after(offset + 1000)).extracting(Request::status).containsExactly(502);

    Files.write(file, new byte[(int) AccessLog.MAX_BYTES + 1]);
    assertThat(log.rotateIfLarge()).isTrue();
    assertThat(file).doesNotExist();
    assertThat(dir.resolve("shop.production.access.log.1")).exists();
  }
}
