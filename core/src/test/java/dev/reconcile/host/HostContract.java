package dev.reconcile.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link Host} promises, run against each implementation (this machine, a server over
 * SSH): a subclass says which host and which folder on it the test may use.
 */
public abstract class HostContract {
  /** The host under test. */
  protected abstract Host host();

  /** An empty folder on the host, for this test alone. */
  protected abstract Path scratch();

  /** Something listening on the host's loopback while the returned socket is open. */
  protected abstract ServerSocket listenOnHost() throws IOException;

  @Test
  void run_commandThatPrints_returnsItsOutputAndExitCode() throws IOException {
    var result =
        host().run(CommandLine.of("sh", "-c", "echo hello; exit 3"), Duration.ofSeconds(30));

    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.output()).isEqualTo("hello\n");
  }

  @Test
  void upload_isPrivate_andPrivateFoldersAreToo() throws Exception {
    var folder = scratch().resolve("private-" + System.nanoTime()).resolve("inner");
    host().createPrivateDirectories(folder);
    host()
        .upload(
            folder.resolve("rows.sql"), new java.io.ByteArrayInputStream("secret rows".getBytes()));

    var modes = host()
        .run(
            CommandLine.of(
                "stat",
                "-c",
                "%a",
                folder.toString(),
                folder.resolve("rows.sql").toString()),
            Duration.ofSeconds(30))
        .output()
        .strip()
        .split("\\s+");
    assertThat(modes).containsExactly("700", "600");
    // A folder that was there already is made private too.
    var open = scratch().resolve("open-" + System.nanoTime());
    host().createDirectories(open);
    host().createPrivateDirectories(open);
    assertThat(host()
            .run(CommandLine.of("stat", "-c", "%a", open.toString()), Duration.ofSeconds(30))
            .output()
            .strip())
        .isEqualTo("700");
  }

  @Test
  @Timeout(30)
  void interactive_withoutTerminal_givesTheProgramsExitCode_andArgumentsUnchanged()
      throws Exception {
    var tricky = "a b; 'x' $(id)";
    var code = host()
        .interactive(
            CommandLine.of("sh", "-c", "[ \"$1\" = \"$0\" ] && exit 3 || exit 4", tricky, tricky),
            false);

    assertThat(code).isEqualTo(3);
  }

  @Test
  void run_argumentsWithShellCharacters_reachTheProgramUnchanged() throws IOException {
    var tricky = "a b; echo 'x' \"$HOME\" `id` $(id) \\ *";

    var result = host().run(CommandLine.of("printf", "%s", tricky), Duration.ofSeconds(30));

    assertThat(result.output()).isEqualTo(tricky);
  }

  @Test
  @Timeout(30)
  void run_commandThatHangsSilently_isKilledAtItsTimeout() {
    assertThatThrownBy(() -> host().run(CommandLine.of("sleep", "600"), Duration.ofMillis(300)))
        .isInstanceOf(IOException.class)
        .hasMessage("'sleep 600' did not finish within 300 ms and was killed");
  }

  @Test
  @Timeout(30)
  void run_commandWhoseChildHoldsTheOutputOpen_isKilledAtItsTimeout() {
    // A reload command that starts a daemon keeping stdout: reading to the end would never return.
    assertThatThrownBy(() -> host()
            .run(CommandLine.of("sh", "-c", "sleep 600 & exec sleep 600"), Duration.ofMillis(300)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("was killed");
  }

  @Test
  @Timeout(30)
  void run_commandThatPrintsMegabytes_keepsABoundedPart() throws IOException {
    var result = host()
        .run(
            CommandLine.of("sh", "-c", "head -c 5000000 /dev/zero | tr '\\0' x"),
            Duration.ofSeconds(30));

    assertThat(result.succeeded()).isTrue();
    assertThat(result.output()).hasSize(Host.MAX_OUTPUT);
  }

  @Test
  void run_missingProgram_failsNamingIt() {
    assertThatThrownBy(() -> {
          var result = host().run(CommandLine.of("no-such-program-rc"), Duration.ofSeconds(30));
          // A remote shell reports a missing program as exit 127 rather than an exception.
          if (!result.succeeded()) {
            throw new IOException("exit " + result.exitCode() + ": " + result.output());
          }
        })
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no-such-program-rc");
  }

  @Test
  @Timeout(30)
  void runDetached_daemonKeepingItsOutput_returnsWhenTheStarterExits() throws IOException {
    var log = scratch().resolve("logs/start.log");
    var pidFile = scratch().resolve("daemon.pid");

    var result = host()
        .runDetached(
            CommandLine.of("sh", "-c", "echo starting; sleep 600 & echo $! > " + pidFile),
            log,
            Duration.ofSeconds(20));

    assertThat(result.succeeded()).isTrue();
    assertThat(result.output()).contains("starting");
    assertThat(host().read(log)).hasValueSatisfying(t -> assertThat(t).contains("starting"));
    var pid = host().read(pidFile).orElseThrow().strip();
    host().run(CommandLine.of("kill", pid), Duration.ofSeconds(10));
  }

  @Test
  @Timeout(30)
  void open_aProgramOverItsStdio_answersAndEndsWhenItsInputEnds() throws IOException {
    try (var pipe = host().open(CommandLine.of("tr", "a-z", "A-Z"))) {
      pipe.out().write("ping\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      pipe.out().close();

      assertThat(new String(pipe.in().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
          .isEqualTo("PING\n");
    }
  }

  @Test
  void writePrivate_isReadableByItsOwnerOnly() throws IOException {
    var file = scratch().resolve("key.pem");
    host().write(file, "public before\n");
    host().writePrivate(file, "secret\n");
    assertThat(host().read(file)).contains("secret\n");
    var mode = host()
        .run(CommandLine.of("stat", "-c", "%a", file.toString()), java.time.Duration.ofSeconds(10));
    assertThat(mode.output().strip()).isEqualTo("600");
  }

  @Test
  void write_thenRead_givesTheText_andReplacesWhole() throws IOException {
    var file = scratch().resolve("a/b/site.conf");
    host().createDirectories(file.getParent());

    host().write(file, "first version, longer\n");
    host().write(file, "second\n");

    assertThat(host().read(file)).contains("second\n");
    assertThat(host().list(file.getParent())).containsExactly("site.conf");
  }

  @Test
  void read_missingFile_isEmpty() throws IOException {
    assertThat(host().read(scratch().resolve("nothing-here"))).isEmpty();
  }

  @Test
  void list_missingFolder_isEmpty_andAFolderIsSorted() throws IOException {
    assertThat(host().list(scratch().resolve("no-such-folder"))).isEmpty();
    host().write(scratch().resolve("b.conf"), "b");
    host().write(scratch().resolve("a.conf"), "a");

    assertThat(host().list(scratch())).containsExactly("a.conf", "b.conf");
  }

  @Test
  void delete_saysWhetherThereWasAFile() throws IOException {
    var file = scratch().resolve("x.conf");
    host().write(file, "x");

    assertThat(host().delete(file)).isTrue();
    assertThat(host().delete(file)).isFalse();
    assertThat(host().read(file)).isEmpty();
  }

  @Test
  void createTempDirectory_givesNewFolders_andDeleteTreeRemovesThem() throws IOException {
    var one = host().createTempDirectory(scratch().resolve("check"), "run-");
    var two = host().createTempDirectory(scratch().resolve("check"), "run-");
    host().write(one.resolve("inner.conf"), "x");

    assertThat(one).isNotEqualTo(two);
    host().deleteTree(one);
    host().deleteTree(one);
    assertThat(host().list(scratch().resolve("check")))
        .containsExactly(two.getFileName().toString());
  }

  @Test
  void portFree_andReach_seeWhatListensOnTheHost() throws IOException {
    try (var server = listenOnHost()) {
      assertThat(host().portFree(server.getLocalPort())).isFalse();
      var at = host().reach("127.0.0.1", server.getLocalPort());
      try (var client = new Socket()) {
        client.connect(new InetSocketAddress(at.getAddress(), at.getPort()), 5000);
        assertThat(client.isConnected()).isTrue();
      }
    }
  }

  @Test
  void freeBytes_ofAPlaceNotYetMade_isTheFreeSpaceOfItsDisk() throws IOException {
    var free = host().freeBytes(scratch().resolve("not/yet/made"));

    assertThat(free).isPresent();
    assertThat(free.getAsLong()).isPositive();
  }

  @Test
  void upload_thenDownload_givesTheSameBytes_andRenameMovesAFolderInOneStep() throws IOException {
    var bytes = new byte[1_500_000];
    new java.util.Random(11).nextBytes(bytes);
    var partial = scratch().resolve(".partial-b1");
    host().createDirectories(partial);

    host().upload(partial.resolve("data.bin"), new java.io.ByteArrayInputStream(bytes));
    host().rename(partial, scratch().resolve("b1"));

    try (var in = host().download(scratch().resolve("b1/data.bin"))) {
      assertThat(in.readAllBytes()).isEqualTo(bytes);
    }
    assertThat(host().list(scratch())).containsExactly("b1");
  }

  @Test
  void size_andDownloadFromAnOffset_readOnlyTheEnd_andNothingPastIt() throws IOException {
    var file = scratch().resolve("access.log");
    assertThat(host().size(file)).isEmpty();
    var bytes = new byte[300_000];
    new java.util.Random(5).nextBytes(bytes);
    host().upload(file, new java.io.ByteArrayInputStream(bytes));

    assertThat(host().size(file)).hasValue(bytes.length);
    try (var in = host().download(file, 299_000, Long.MAX_VALUE)) {
      assertThat(in.readAllBytes())
          .isEqualTo(java.util.Arrays.copyOfRange(bytes, 299_000, bytes.length));
    }
    try (var in = host().download(file, 1_000, 5_000)) {
      assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(bytes, 1_000, 6_000));
    }
    try (var in = host().download(file, bytes.length + 10, 100)) {
      assertThat(in.readAllBytes()).isEmpty();
    }
    assertThatThrownBy(() -> host().download(scratch().resolve("missing.log"), 10, 100))
        .isInstanceOf(java.nio.file.NoSuchFileException.class);
  }

  @Test
  void download_ofAFileThatGrowsWhileItIsRead_endsAtTheLengthAskedFor() throws IOException {
    var file = scratch().resolve("busy.log");
    var bytes = new byte[300_000];
    new java.util.Random(7).nextBytes(bytes);
    host().upload(file, new java.io.ByteArrayInputStream(bytes));

    try (var in = host().download(file, 0, bytes.length)) {
      var first = in.readNBytes(1_000);
      // Written while the read is under way: a busy site's access log.
      var grown = host()
          .run(
              CommandLine.of("sh", "-c", "head -c 2000000 /dev/zero >> \"$0\"", file.toString()),
              Duration.ofSeconds(30));
      assertThat(grown.exitCode()).isZero();
      var rest = in.readAllBytes();

      assertThat(first.length + rest.length).isEqualTo(bytes.length);
      assertThat(rest).isEqualTo(java.util.Arrays.copyOfRange(bytes, 1_000, bytes.length));
    }
    assertThat(host().size(file)).hasValue(bytes.length + 2_000_000L);
  }

  @Test
  void upload_overAFile_andRename_ontoOne_areRefused_andDownloadOfNothingSaysSo()
      throws IOException {
    host().write(scratch().resolve("there.txt"), "old");
    host().write(scratch().resolve("other.txt"), "other");

    assertThatThrownBy(() -> host()
            .upload(
                scratch().resolve("there.txt"), new java.io.ByteArrayInputStream(new byte[] {1})))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(
            () -> host().rename(scratch().resolve("other.txt"), scratch().resolve("there.txt")))
        .isInstanceOf(IOException.class);
    assertThat(host().read(scratch().resolve("there.txt"))).contains("old");
    assertThatThrownBy(() -> host().download(scratch().resolve("missing.bin")))
        .isInstanceOf(java.nio.file.NoSuchFileException.class);
  }
}
