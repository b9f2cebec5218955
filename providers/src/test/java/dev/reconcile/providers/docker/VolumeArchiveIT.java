package dev.reconcile.providers.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reconcile.model.HostSpec;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.provider.VolumeArchives;
import dev.reconcile.resource.ResourceId;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A volume's files out and back in over a slow host: the real engine of this machine behind a
 * {@link SlowLink} of 2 MiB/s. A backup streams (its first bytes are written long before the
 * last arrive), a restore that stalls or a link that is cut fails saying so and leaves the volume
 * as it was, and no helper container is left behind in any case.
 */
class VolumeArchiveIT {
  private static final String IMAGE = "reconcile-test/web:v1";
  private static final int RATE = 2 * 1024 * 1024;
  private static final int BIG = 4 * 1024 * 1024;
  private static final String OWNER = "rcva-owner";

  @TempDir
  Path dir;

  private final String project = "rcva" + UUID.randomUUID().toString().substring(0, 8);
  private final ResourceId volume = ResourceId.volume(project, "production", "data");
  private final String name = Names.volume(volume);
  private final DockerProvider docker = new DockerProvider();
  private SlowLink link;
  private HostSpec slow;

  private VolumeArchives archives() {
    return docker.volumes();
  }

  private static String docker(String... args) throws Exception {
    var command = new ArrayList<String>(List.of("docker"));
    command.addAll(List.of(args));
    return Shell.run(command.toArray(String[]::new));
  }

  /** The files of the volume, name to size, and the small file's text, read by the docker CLI. */
  private String listing() throws Exception {
    return docker(
        "run",
        "--rm",
        "--network",
        "none",
        "-v",
        name + ":/v:ro",
        IMAGE,
        "sh",
        "-c",
        "cd /v && for f in $(find . -type f | sort); do echo \"$f $(wc -c < $f)\"; done;"
            + " cat small 2>/dev/null || true");
  }

  /** Containers of any kind still mounting the volume: helpers left behind. */
  private String users(String volumeName) throws Exception {
    return docker("ps", "-a", "-q", "--filter", "volume=" + volumeName);
  }

  @BeforeEach
  void volumeWithFiles() throws Exception {
    // As a deployment makes it: managed, by this test's owner (a restore refuses anyone else's).
    docker(
        "volume",
        "create",
        "--label",
        Labels.MANAGED + "=true",
        "--label",
        Labels.OWNER + "=" + OWNER,
        name);
    docker(
        "run",
        "--rm",
        "--network",
        "none",
        "-v",
        name + ":/v",
        IMAGE,
        "sh",
        "-c",
        "head -c " + BIG + " /dev/urandom > /v/big && echo before > /v/small");
    link = new SlowLink(dir.resolve("slow.sock"), Path.of("/var/run/docker.sock"), RATE);
    slow = new HostSpec.Docker("slow", link.endpoint());
  }

  @AfterEach
  void removeVolumes() throws Exception {
    link.close();
    docker.close();
    for (var v : List.of(name, name + "-restoring")) {
      var left = users(v);
      if (!left.isEmpty()) {
        docker(concat(List.of("rm", "-f"), left.lines().toList()));
      }
      Shell.attempt("docker", "volume", "rm", "-f", v);
    }
  }

  private static String[] concat(List<String> a, List<String> b) {
    var all = new ArrayList<>(a);
    all.addAll(b);
    return all.toArray(String[]::new);
  }

  /** Names and sizes of the entries of a tar. */
  private static Map<String, Long> entries(byte[] tar) throws IOException {
    var out = new TreeMap<String, Long>();
    try (var in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
      TarArchiveEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        if (entry.isFile()) {
          out.put(entry.getName(), entry.getSize());
        }
      }
    }
    return out;
  }

  @Test
  void export_overASlowHost_streamsTheVolumeAsItComes_andLeavesNoHelper() throws Exception {
    var whenFirstWritten = new long[] {-1};
    var got = new ByteArrayOutputStream() {
      @Override
      public synchronized void write(byte[] b, int off, int len) {
        if (whenFirstWritten[0] < 0) {
          whenFirstWritten[0] = link.fromEngine();
        }
        super.write(b, off, len);
      }
    };

    archives().export(slow, volume, IMAGE, got);

    assertThat(entries(got.toByteArray()))
        .containsEntry("volume/big", (long) BIG)
        .containsEntry("volume/small", 7L);
    assertThat(whenFirstWritten[0])
        .as("bytes the engine had sent when the backup wrote its first")
        .isPositive()
        .isLessThan(BIG / 4);
    assertThat(users(name)).as("helpers left").isEmpty();
  }

  @Test
  void export_whoseLinkIsCut_fails_neverEndsAsIfComplete_andLeavesNoHelper() throws Exception {
    var out = new OutputStream() {
      long written;

      @Override
      public void write(int b) {
        written++;
      }

      @Override
      public void write(byte[] b, int off, int len) {
        if (written < BIG / 4 && written + len >= BIG / 4) {
          link.cut();
        }
        written += len;
      }
    };

    assertThatThrownBy(() -> archives().export(slow, volume, IMAGE, out))
        .isInstanceOf(ProviderException.class)
        .hasMessageContaining("reading volume " + name);
    assertThat(out.written).isLessThan(BIG);
    assertThat(users(name)).as("helpers left").isEmpty();
  }

  /** A tar as an export makes it (entries under volume/), of one file, {@code fresh}. */
  private static byte[] tarOf(String text) throws IOException {
    var bytes = new ByteArrayOutputStream();
    try (var tar = new TarArchiveOutputStream(bytes)) {
      var content = text.getBytes(StandardCharsets.UTF_8);
      var entry = new TarArchiveEntry("volume/fresh");
      entry.setSize(content.length);
      tar.putArchiveEntry(entry);
      tar.write(content);
      tar.closeArchiveEntry();
    }
    return bytes.toByteArray();
  }

  @Test
  void stageAndSwapIn_overASlowHost_leaveExactlyTheArchivesFiles() throws Exception {
    var tar = tarOf("after\n");

    var files = archives()
        .stage(slow, volume, IMAGE, new ByteArrayInputStream(tar), Duration.ofSeconds(30));
    assertThat(files).isEqualTo(1);
    assertThat(archives().staged(slow, volume)).isTrue();
    assertThat(listing()).as("the volume before the swap").contains("./big " + BIG);

    archives().swapIn(slow, volume, IMAGE, OWNER);
    archives().discardStaged(slow, volume);

    assertThat(listing()).isEqualTo("./fresh 6");
    assertThat(archives().staged(slow, volume)).isFalse();
    assertThat(users(name)).as("helpers left").isEmpty();
  }

  /** Gives the first bytes of a tar, then nothing until it is closed (a stuck upload). */
  private static final class Stuck extends InputStream {
    private final InputStream start;
    private final CountDownLatch closed = new CountDownLatch(1);

    Stuck(byte[] start) {
      this.start = new ByteArrayInputStream(start);
    }

    @Override
    public int read() throws IOException {
      var one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      var n = start.read(b, off, len);
      if (n > 0) {
        return n;
      }
      try {
        closed.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new IOException("closed");
    }

    @Override
    public void close() {
      closed.countDown();
    }
  }

  @Test
  void stage_thatStalls_isGivenUp_namingTheBytesTaken_andTheVolumeIsAsItWas() throws Exception {
    var tar = tarOf("after\n");
    var stuck = new Stuck(Arrays.copyOf(tar, 512));

    assertThatThrownBy(() -> archives().stage(slow, volume, IMAGE, stuck, Duration.ofSeconds(1)))
        .isInstanceOf(ProviderException.Transient.class)
        .hasMessageContaining(
            "writing " + name + "-restoring stalled: no byte taken for 1 s after");
    stuck.close();

    assertThat(listing()).as("the volume itself").isEqualTo("./big " + BIG + "\n./small 7\nbefore");
    assertThat(users(name + "-restoring")).as("helpers left").isEmpty();
    assertThat(archives().staged(slow, volume))
        .as("the staging volume says a restore was interrupted")
        .isTrue();
  }

  @Test
  void sweep_removesHelpersWhoseMakerIsGone_andKeepsThoseOfALiveProcess() throws Exception {
    var boot = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
    var ended = new ProcessBuilder("true").start();
    ended.waitFor();
    var dead = helper(boot + ":" + ended.pid());
    var alive = helper(boot + ":" + ProcessHandle.current().pid());

    var swept = archives().sweepHelpers(slow);

    assertThat(swept).contains(dead).doesNotContain(alive);
    assertThat(users(name))
        .as("left")
        .isEqualTo(docker("inspect", "-f", "{{.Id}}", alive).substring(0, 12));
  }

  /** A helper container as a backup makes it, labelled with its maker. */
  private String helper(String owner) throws Exception {
    var helper = "rcva-helper-" + UUID.randomUUID().toString().substring(0, 8);
    docker(
        "create",
        "--name",
        helper,
        "--label",
        "reconcile.helper=backup",
        "--label",
        "reconcile.helper-owner=" + owner,
        "--network",
        "none",
        "-v",
        name + ":/volume",
        IMAGE,
        "true");
    return helper;
  }
}
