package dev.reconcile.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reconcile.model.HostSpec;
import dev.reconcile.observed.ObservedContainer;
import dev.reconcile.observed.ObservedState;
import dev.reconcile.provider.VolumeArchives;
import dev.reconcile.resource.ResourceId;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A backup never fills its disk: refused before, or stopped while written, leaving nothing listed. */
class DiskGuardTest {
  private static final long MIB = 1L << 20;

  @TempDir
  Path state;

  /** Writes {@code size} random (incompressible) bytes as the volume's tar. */
  private static VolumeArchives volumeOf(long size) {
    return new VolumeArchives() {
      @Override
      public void export(HostSpec host, ResourceId volume, String image, OutputStream out)
          throws dev.reconcile.provider.ProviderException {
        var random = new Random(3);
        var chunk = new byte[1 << 16];
        try {
          for (long done = 0; done < size; done += chunk.length) {
            random.nextBytes(chunk);
            out.write(chunk);
          }
        } catch (java.io.IOException e) {
          // As the Docker provider says it.
          throw new dev.reconcile.provider.ProviderException.Transient(
              "local", "reading volume failed: " + e.getMessage(), "", e);
        }
      }

      @Override
      public long stage(
          HostSpec host,
          ResourceId volume,
          String image,
          InputStream tar,
          java.time.Duration stall) {
        return 0;
      }

      @Override
      public void forgetImage(HostSpec host, String tag) {}

      @Override
      public List<String> sweepHelpers(HostSpec host) {
        return List.of();
      }

      @Override
      public boolean staged(HostSpec host, ResourceId volume) {
        return false;
      }

      @Override
      public void swapIn(HostSpec host, ResourceId volume, String image, String owner) {}

      @Override
      public void discardStaged(HostSpec host, ResourceId volume) {}

      @Override
      public void keepImage(HostSpec host, String imageId, String repository, String tag) {}

      @Override
      public void execOut(
          HostSpec host,
          String containerId,
          List<String> argv,
          OutputStream out,
          java.time.Duration stall) {}

      @Override
      public void execIn(
          HostSpec host, String containerId, List<String> argv, InputStream input, long size) {}

      @Override
      public boolean hasImage(HostSpec host, String image) {
        return true;
      }
    };
  }

  private Backups backups(VolumeArchives archives) throws Exception {
    var spec = dev.reconcile.validate.SpecValidator.standard()
        .validate("""
        version: 1
        projects:
          shop:
            domains: { production: shop.example.com }
            containers: { web: { image: "example/shop:1", port: 8080, volumes: { data: /data } } }
            backup: { volumes: [data] }
        """.getBytes(java.nio.charset.StandardCharsets.UTF_8), "p.yml")
        .spec()
        .orElseThrow();
    return new Backups(
        spec,
        new dev.reconcile.engine.Layout(state, state, state.resolve("sites"), "o"),
        archives,
        dev.reconcile.engine.Hosts.discover(),
        java.time.Clock.systemUTC());
  }

  private static ObservedState running() {
    var id = ResourceId.container("shop", "production", "web");
    return ObservedState.of(
        List.of(new ObservedContainer(
            id,
            "local",
            "c1",
            "shop-web-production-blue",
            "blue",
            "example/shop:1",
            "sha256:" + "a".repeat(64),
            "running",
            Optional.empty(),
            OptionalInt.of(20000),
            "hash",
            Optional.empty(),
            java.util.List.of("reconcile-egress"))),
        List.of(),
        List.of());
  }

  private long free() throws Exception {
    return Files.getFileStore(state).getUsableSpace();
  }

  @Test
  void aBackupThatWouldFallBelowTheReserve_stopsWhileWritten_andLeavesNothing() throws Exception {
    // 64 MiB to write, and the reserve reached after about 8: looked at every 4 MiB.
    var backups = backups(volumeOf(64 * MIB)).keepingFree(free() - 8 * MIB, 4 * MIB);

    assertThatThrownBy(
            () -> backups.take(running(), "shop", "production", "on demand", Optional.empty()))
        .isInstanceOf(Backups.BackupFailed.class)
        .hasMessageContaining("stopped: the disk holding")
        .hasMessageContaining("stay free");

    assertThat(backups.store().list()).isEmpty();
    try (var left = Files.list(state.resolve("backups"))) {
      assertThat(left.toList()).as("the partial folder is removed").isEmpty();
    }
  }

  @Test
  void aBackupLargerThanTheLastOneCanFit_isNotStarted() throws Exception {
    var first = backups(volumeOf(4 * MIB))
        .take(running(), "shop", "production", "on demand", Optional.empty());
    assertThat(first.size()).isGreaterThan(4 * MIB);
    // Room for less than the last backup above the reserve.
    var backups = backups(volumeOf(4 * MIB)).keepingFree(free() - 2 * MIB, 4 * MIB);

    assertThatThrownBy(
            () -> backups.take(running(), "shop", "production", "on demand", Optional.empty()))
        .hasMessageContaining("was not started")
        .hasMessageContaining("the size of the last one");

    assertThat(backups.store().list()).containsExactly(first);
  }

  @Test
  void withRoom_theBackupIsTaken() throws Exception {
    var taken = backups(volumeOf(6 * MIB))
        .keepingFree(MIB, MIB)
        .take(running(), "shop", "production", "on demand", Optional.empty());

    assertThat(taken.artifacts()).extracting(a -> a.file()).contains("volume-data.tar.gz");
  }
}
