package dev.reconcile.providers.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reconcile.model.HostSpec;
import dev.reconcile.provider.ProviderException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands inside a running container (a database's dump and restore) over a slow host: the real
 * engine behind a {@link SlowLink}. The input arrives byte for byte, the argv is never read by a
 * shell, and output that cannot be written fails naming that, not the command.
 */
class ContainerExecIT {
  private static final Duration LONG = Duration.ofMinutes(2);

  @TempDir
  Path dir;

  private final DockerProvider docker = new DockerProvider();
  private final String name = "rcexec-" + UUID.randomUUID().toString().substring(0, 8);
  private SlowLink link;
  private HostSpec slow;
  private String container;

  @BeforeEach
  void sleeper() throws Exception {
    container = Shell.run(
        "docker",
        "run",
        "-d",
        "--name",
        name,
        "--label",
        "reconcile.helper=test",
        "--network",
        "none",
        "reconcile-test/web:v1",
        "sleep",
        "600");
    link = new SlowLink(dir.resolve("slow.sock"), Path.of("/var/run/docker.sock"), 2 << 20);
    slow = new HostSpec.Docker("slow", link.endpoint());
  }

  @AfterEach
  void remove() throws Exception {
    link.close();
    docker.close();
    Shell.run("docker", "rm", "-f", name);
  }

  private String out(List<String> argv) throws Exception {
    var out = new ByteArrayOutputStream();
    docker.volumes().execOut(slow, container, argv, out, LONG);
    return out.toString(StandardCharsets.UTF_8).strip();
  }

  @Test
  void execIn_overASlowHost_givesTheInputByteForByte_andLeavesNoFileBehind() throws Exception {
    var input = new byte[3 << 20];
    new Random(7).nextBytes(input);
    var digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(input));

    docker
        .volumes()
        .execIn(
            slow,
            container,
            List.of("sh", "-c", "sha256sum > /tmp/digest"),
            new ByteArrayInputStream(input),
            input.length);

    assertThat(out(List.of("cat", "/tmp/digest"))).startsWith(digest + " ");
    assertThat(out(List.of("ls", "/tmp"))).isEqualTo("digest");
  }

  @Test
  void anArgvWithShellWords_isPassedAsIs_neverParsed() throws Exception {
    var word = "$(touch /tmp/ran); `touch /tmp/ran2` && rm -rf / \"'";

    docker
        .volumes()
        .execIn(
            slow,
            container,
            List.of("sh", "-c", "printf %s \"$1\" > /tmp/arg", "sh", word),
            new ByteArrayInputStream(new byte[0]),
            0);

    assertThat(out(List.of("cat", "/tmp/arg"))).isEqualTo(word);
    assertThat(out(List.of("ls", "/tmp"))).isEqualTo("arg");
  }

  @Test
  void outputThatCannotBeWritten_failsNamingTheWrite_andWhereToLook() {
    var full = new FullDisk();

    assertThatThrownBy(() -> docker
            .volumes()
            .execOut(slow, container, List.of("head", "-c", "1000000", "/dev/zero"), full, LONG))
        .isInstanceOf(ProviderException.Transient.class)
        .hasMessageContaining("running head in container " + container.substring(0, 12))
        .hasMessageContaining("writing its output failed: No space left on device")
        .satisfies(e -> assertThat(((ProviderException) e).hint()).contains("free space"));
  }
}
