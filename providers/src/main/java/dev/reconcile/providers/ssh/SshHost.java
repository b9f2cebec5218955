package dev.reconcile.providers.ssh;

import dev.reconcile.host.BoundedInput;
import dev.reconcile.host.BoundedOutput;
import dev.reconcile.host.CommandLine;
import dev.reconcile.host.CommandResult;
import dev.reconcile.host.Host;
import dev.reconcile.util.AtomicFiles;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.connection.channel.OpenFailException;
import net.schmizz.sshj.connection.channel.direct.Parameters;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.sftp.FileAttributes;
import net.schmizz.sshj.sftp.OpenMode;
import net.schmizz.sshj.sftp.RemoteFile;
import net.schmizz.sshj.sftp.Response;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.sftp.SFTPException;
import org.jspecify.annotations.Nullable;

/**
 * A server reached over one SSH connection, reused by every command, file and probe: commands
 * run on exec channels (each in a process group of its own, so a timeout kills all of it), files
 * go by SFTP (a temp name, then an atomic {@code mv}), and ports are reached through direct-tcpip
 * forwards on this machine's loopback, never by opening them to the network.
 */
public final class SshHost implements Host {
  private final String name;
  private final String where;
  private final SSHClient client;
  private final SFTPClient sftp;
  private final Map<String, Forward> forwards = new ConcurrentHashMap<>();

  SshHost(String name, String where, SSHClient client) throws IOException {
    this.name = name;
    this.where = where;
    this.client = client;
    this.sftp = sftp(name + " (" + where + ")", client);
  }

  /** Files go through SFTP: a server without its subsystem is named as such, not "Request failed". */
  private static SFTPClient sftp(String where, SSHClient client) throws IOException {
    try {
      return client.newSFTPClient();
    } catch (ConnectionException e) {
      throw new IOException(
          where + " has no SFTP subsystem, which reconcile reads and writes the server's files "
              + "through: add 'Subsystem sftp internal-sftp' (or the sftp-server path) to its sshd_config and reload "
              + "sshd (the server said: " + e.getMessage() + ")",
          e);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean isOpen() {
    return client.isConnected();
  }

  /**
   * Put before every command: an account other than root gets no sbin folders in its PATH on
   * Debian, where nginx (and flock's neighbours) live, so "nginx -t" would not be found.
   */
  private static final String SBIN = "PATH=\"$PATH:/usr/local/sbin:/usr/sbin:/sbin\"; ";

  @Override
  public CommandResult run(CommandLine command, Duration timeout) throws IOException {
    // setsid: the command and whatever it starts share one process group, killed as one at the
    // timeout. The first line out is that group's id.
    var line = "exec setsid -w sh -c 'echo $$; exec \"$@\" 2>&1' sh " + Shell.quote(command.argv());
    return exec(command, line, timeout, true);
  }

  @Override
  public CommandResult runDetached(CommandLine command, Path log, Duration timeout)
      throws IOException {
    createDirectories(AtomicFiles.parentOf(log));
    var line =
        "exec setsid -w sh -c 'echo $$; log=$1; shift; exec \"$@\" >\"$log\" 2>&1 </dev/null' sh "
            + Shell.quote(List.of(log.toString())) + " " + Shell.quote(command.argv());
    var started = exec(command, line, timeout, true);
    return new CommandResult(command, started.exitCode(), read(log).orElse(""));
  }

  private CommandResult exec(CommandLine shown, String line, Duration timeout, boolean grouped)
      throws IOException {
    try (Session session = session()) {
      var cmd = session.exec(SBIN + line);
      cmd.getOutputStream().close();
      var output = new Output(cmd.getInputStream(), grouped);
      var reader = Thread.ofPlatform()
          .daemon()
          .name("ssh output of " + shown.argv().getFirst())
          .start(output);
      var errors = Thread.ofPlatform().daemon().start(() -> drain(cmd.getErrorStream()));
      try {
        cmd.join(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ConnectionException e) {
        // join times out by throwing; the exit status tells below.
      }
      if (cmd.getExitStatus() == null) {
        killGroup(output.group());
        cmd.close();
        throw new IOException(
            "'" + shown + "' did not finish within " + Host.describe(timeout) + " and was killed");
      }
      reader.join(Duration.ofSeconds(1));
      errors.join(Duration.ofMillis(100));
      return new CommandResult(shown, cmd.getExitStatus(), output.text());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while running '" + shown + "' on " + name);
    }
  }

  private void killGroup(Optional<Long> group) {
    if (group.isEmpty()) {
      return;
    }
    try (Session session = client.startSession()) {
      session.exec("kill -KILL -- -" + group.get()).join(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      // The connection is failing: the timeout is reported all the same, and the caller's next
      // step on this host will fail naming the connection.
    }
  }

  /** A new channel, or an error that says the connection is gone, when it is. */
  private Session session() throws IOException {
    try {
      return client.startSession();
    } catch (IOException e) {
      throw lost(e);
    } catch (IllegalStateException e) {
      throw lost(new IOException(e.getMessage(), e)); // sshj: "Not connected"
    }
  }

  /** The fault, said plainly when the cause is a connection that dropped. */
  private IOException lost(IOException e) {
    if (client.isConnected()) {
      return e;
    }
    return new IOException(
        "the SSH connection to " + name + " (" + where + ") is closed: "
            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
        e);
  }

  /** SFTP calls, with the same plain words when the connection dropped. */
  private interface SftpCall<T> {
    T call() throws IOException;
  }

  /** An SFTP call that gives nothing back. */
  private interface SftpAct {
    void run() throws IOException;
  }

  private void sftpDo(SftpAct act) throws IOException {
    sftp(() -> {
      act.run();
      return Boolean.TRUE;
    });
  }

  private <T> T sftp(SftpCall<T> call) throws IOException {
    if (!client.isConnected()) {
      throw lost(new IOException("not connected"));
    }
    try {
      return call.call();
    } catch (SFTPException e) {
      throw e;
    } catch (IOException e) {
      throw lost(e);
    }
  }

  @Override
  public Pipe open(CommandLine command) throws IOException {
    var session = session();
    try {
      var cmd = session.exec(SBIN + Shell.quote(command.argv()));
      Thread.ofPlatform().daemon().start(() -> drain(cmd.getErrorStream()));
      return new Pipe() {
        @Override
        public InputStream in() {
          return cmd.getInputStream();
        }

        @Override
        public OutputStream out() {
          return cmd.getOutputStream();
        }

        @Override
        public void close() throws IOException {
          session.close();
        }
      };
    } catch (IOException | RuntimeException e) {
      session.close();
      throw e;
    }
  }

  @Override
  public int interactive(CommandLine command, boolean terminal)
      throws IOException, InterruptedException {
    var session = session();
    var raw = terminal && LocalTerminal.raw();
    try {
      if (terminal) {
        var size = LocalTerminal.size();
        session.allocatePTY(
            Optional.ofNullable(System.getenv("TERM")).orElse("xterm"),
            size[1],
            size[0],
            0,
            0,
            Map.of());
      }
      var cmd = session.exec(SBIN + Shell.quote(command.argv()));
      var out = Thread.ofPlatform().daemon().start(() -> copy(cmd.getInputStream(), System.out));
      var err = Thread.ofPlatform().daemon().start(() -> copy(cmd.getErrorStream(), System.err));
      // Standard input goes over until it ends (then the program's input ends too) or the program
      // does.
      Thread.ofPlatform().daemon().start(() -> {
        try (var to = cmd.getOutputStream()) {
          System.in.transferTo(to);
        } catch (IOException e) {
          // The program ended first.
        }
      });
      cmd.join();
      out.join(2000);
      err.join(2000);
      var status = cmd.getExitStatus();
      return status == null ? 255 : status;
    } finally {
      if (raw) {
        LocalTerminal.restore();
      }
      session.close();
    }
  }

  private static void copy(InputStream from, PrintStream to) {
    try {
      var buffer = new byte[8192];
      for (int n; (n = from.read(buffer)) > 0; ) {
        to.write(buffer, 0, n);
        to.flush();
      }
    } catch (IOException e) {
      // closed with the channel
    }
  }

  private static void drain(InputStream in) {
    try (in) {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      // closed with the channel
    }
  }

  @Override
  public Optional<String> read(Path file) throws IOException {
    return sftp(() -> {
      try (var remote = sftp.open(file.toString(), EnumSet.of(OpenMode.READ));
          var in = remote.new RemoteFileInputStream()) {
        return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (SFTPException e) {
        if (e.getStatusCode() == Response.StatusCode.NO_SUCH_FILE) {
          return Optional.<String>empty();
        }
        throw e;
      }
    });
  }

  @Override
  public void write(Path file, String text) throws IOException {
    write(file, text, FileAttributes.EMPTY);
  }

  @Override
  public void writePrivate(Path file, String text) throws IOException {
    // Created 0600 by the open itself: the server's umask may only narrow it.
    write(file, text, new FileAttributes.Builder().withPermissions(0600).build());
  }

  private void write(Path file, String text, FileAttributes attributes) throws IOException {
    var temp = file.resolveSibling("." + file.getFileName() + ".tmp-" + UUID.randomUUID());
    var bytes = text.getBytes(StandardCharsets.UTF_8);
    sftpDo(() -> {
      try (var remote = sftp.open(
          temp.toString(),
          EnumSet.of(OpenMode.WRITE, OpenMode.CREAT, OpenMode.TRUNC, OpenMode.EXCL),
          attributes)) {
        remote.write(0, bytes, 0, bytes.length);
      }
    });
    // SFTP v3 cannot rename over a file; mv is rename(2): readers see the old text or the new.
    var moved = run(
        CommandLine.of(
            "sh",
            "-c",
            "sync -- \"$1\" 2>/dev/null; mv -f -- \"$1\" \"$2\"",
            "sh",
            temp.toString(),
            file.toString()),
        Duration.ofSeconds(30));
    if (!moved.succeeded()) {
      delete(temp);
      throw new IOException(
          "cannot replace " + file + " on " + name + ": " + moved.output().strip());
    }
  }

  @Override
  public void upload(Path file, InputStream content) throws IOException {
    sftpDo(() -> {
      try (var remote = sftp.open(
              file.toString(),
              EnumSet.of(OpenMode.WRITE, OpenMode.CREAT, OpenMode.EXCL),
              new FileAttributes.Builder().withPermissions(0600).build());
          // Up to 16 writes in flight: a round trip per 32 KiB would cap a backup at a crawl.
          var out = remote.new RemoteFileOutputStream(0, 16)) {
        content.transferTo(out);
      }
    });
    // SFTP v3 has no fsync; where a shell is there, sync the file (an SFTP-only account skips it).
    try {
      run(CommandLine.of("sync", "--", file.toString()), Duration.ofSeconds(60));
    } catch (IOException e) {
      // The server closed the file, which it keeps; a crash of the server right now may lose it.
    }
  }

  @Override
  public void createPrivateDirectories(Path dir) throws IOException {
    createDirectories(dir);
    sftpDo(() -> {
      sftp.chmod(dir.toString(), 0700);
    });
  }

  @Override
  public InputStream download(Path file, long offset, long length) throws IOException {
    return sftp(() -> {
      RemoteFile remote;
      try {
        remote = sftp.open(file.toString(), EnumSet.of(OpenMode.READ));
      } catch (SFTPException e) {
        if (e.getStatusCode() == Response.StatusCode.NO_SUCH_FILE) {
          throw new NoSuchFileException(file + " on " + name);
        }
        throw e;
      }
      // Reads ahead 16 requests, for the same reason as the writes, but not past the length
      // (sshj's limit stops the read-ahead there, not the reads: the bound does).
      var ahead = remote
      .new ReadAheadRemoteFileInputStream(16, offset, length == Long.MAX_VALUE ? 0 : length);
      return new FilterInputStream(new BoundedInput(ahead, length)) {
        @Override
        public void close() throws IOException {
          try {
            super.close();
          } finally {
            remote.close();
          }
        }
      };
    });
  }

  @Override
  public void rename(Path from, Path to) throws IOException {
    sftpDo(() -> {
      // SFTP v3 rename refuses an existing target, as this method promises.
      sftp.rename(from.toString(), to.toString());
    });
  }

  @Override
  public boolean delete(Path file) throws IOException {
    return sftp(() -> {
      try {
        sftp.rm(file.toString());
        return true;
      } catch (SFTPException e) {
        if (e.getStatusCode() == Response.StatusCode.NO_SUCH_FILE) {
          return false;
        }
        throw e;
      }
    });
  }

  @Override
  public List<String> list(Path dir) throws IOException {
    return sftp(() -> {
      try {
        return sftp.ls(dir.toString()).stream()
            .map(f -> f.getName())
            .filter(n -> !n.equals(".") && !n.equals(".."))
            .sorted()
            .toList();
      } catch (SFTPException e) {
        if (e.getStatusCode() == Response.StatusCode.NO_SUCH_FILE) {
          return List.<String>of();
        }
        throw e;
      }
    });
  }

  @Override
  public void createDirectories(Path dir) throws IOException {
    sftpDo(() -> {
      sftp.mkdirs(dir.toString());
    });
  }

  @Override
  public Path createTempDirectory(Path parent, String prefix) throws IOException {
    createDirectories(parent);
    var dir = parent.resolve(prefix + UUID.randomUUID().toString().substring(0, 12));
    sftpDo(() -> {
      sftp.mkdir(dir.toString());
    });
    return dir;
  }

  @Override
  public void deleteTree(Path dir) throws IOException {
    var result = run(CommandLine.of("rm", "-rf", "--", dir.toString()), Duration.ofSeconds(30));
    if (!result.succeeded()) {
      throw new IOException(
          "cannot delete " + dir + " on " + name + ": " + result.output().strip());
    }
  }

  @Override
  public InetSocketAddress reach(String address, int port) throws IOException {
    closeIdleForwards();
    var key = address + ":" + port;
    var forward = forwards.get(key);
    if (forward == null) {
      synchronized (forwards) {
        forward = forwards.get(key);
        if (forward == null) {
          forward = Forward.open(client, address, port);
          forwards.put(key, forward);
        }
      }
    }
    forward.used();
    return forward.local();
  }

  /**
   * How long a forward nobody asked for or connected through is kept. Each deploy probes new
   * container ports: kept for good, their forwards would pile up in a controller running for
   * months (a thread and a socket each).
   */
  private static final long FORWARD_IDLE_NANOS = Duration.ofMinutes(2).toNanos();

  private void closeIdleForwards() {
    var now = System.nanoTime();
    forwards.entrySet().removeIf(e -> {
      var idle = now - e.getValue().lastUsed().get() > FORWARD_IDLE_NANOS;
      if (idle) {
        e.getValue().close();
      }
      return idle;
    });
  }

  @Override
  public boolean portFree(int port) throws IOException {
    try (var connection = client.newDirectConnection("127.0.0.1", port)) {
      return false;
    } catch (OpenFailException e) {
      return true;
    } catch (IOException e) {
      throw lost(e);
    }
  }

  @Override
  public OptionalLong size(Path file) throws IOException {
    return sftp(() -> {
      var attributes = sftp.statExistence(file.toString());
      return attributes == null ? OptionalLong.empty() : OptionalLong.of(attributes.getSize());
    });
  }

  @Override
  public OptionalLong freeBytes(Path place) throws IOException {
    var result = run(
        CommandLine.of(
            "sh",
            "-c",
            "p=$1; while [ ! -e \"$p\" ]; do p=$(dirname -- \"$p\"); done; df -Pk -- \"$p\"",
            "sh",
            place.toString()),
        Duration.ofSeconds(30));
    var lines = result.output().strip().split("\n");
    if (!result.succeeded() || lines.length < 2) {
      throw new IOException("df on " + name + " failed: " + result.output().strip());
    }
    var fields = lines[lines.length - 1].trim().split("\\s+");
    try {
      return OptionalLong.of(Long.parseLong(fields[3]) * 1024);
    } catch (RuntimeException e) {
      throw new IOException("cannot read df's answer on " + name + ": " + lines[lines.length - 1]);
    }
  }

  @Override
  public void close() {
    forwards.values().forEach(Forward::close);
    forwards.clear();
    try {
      sftp.close();
    } catch (IOException e) {
      // closing anyway
    }
    try {
      client.disconnect();
    } catch (IOException e) {
      // closing anyway
    }
  }

  @Override
  public String toString() {
    return "SshHost[" + name + " " + where + "]";
  }

  /**
   * A loopback port on this machine forwarding to a port on the host, over the connection.
   *
   * @param lastUsed when it was last asked for or accepted a connection ({@link System#nanoTime})
   */
  private record Forward(ServerSocket socket, Thread listener, AtomicLong lastUsed) {
    static Forward open(SSHClient client, String address, int port) throws IOException {
      var lastUsed = new AtomicLong(System.nanoTime());
      var socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress()) {
        @Override
        public Socket accept() throws IOException {
          var accepted = super.accept();
          lastUsed.set(System.nanoTime());
          return accepted;
        }
      };
      var params = new Parameters("127.0.0.1", socket.getLocalPort(), address, port);
      var forwarder = client.newLocalPortForwarder(params, socket);
      var listener = Thread.ofPlatform()
          .daemon()
          .name("ssh forward to " + address + ":" + port)
          .start(() -> {
            try {
              forwarder.listen();
            } catch (IOException e) {
              // the socket was closed: the forward ends
            }
          });
      return new Forward(socket, listener, lastUsed);
    }

    void used() {
      lastUsed.set(System.nanoTime());
    }

    InetSocketAddress local() {
      return new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
    }

    void close() {
      // Interrupted first: sshj's listen loop goes on accepting after a SocketException while its
      // thread is not interrupted, so a closed socket alone would leave it spinning for good.
      listener.interrupt();
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  /** Bounded output; with a process group, its id is the first line and not output. */
  private static final class Output extends BoundedOutput {
    private final boolean grouped;
    private volatile @Nullable Long group;

    Output(InputStream in, boolean grouped) {
      super(in);
      this.grouped = grouped;
    }

    @Override
    protected void head(InputStream in) throws IOException {
      if (!grouped) {
        return;
      }
      var id = new StringBuilder();
      int c;
      while ((c = in.read()) >= 0 && c != '\n') {
        id.append((char) c);
      }
      try {
        group = Long.parseLong(id.toString().strip());
      } catch (NumberFormatException e) {
        var bytes = id.toString().getBytes(StandardCharsets.UTF_8);
        keep(bytes, bytes.length);
      }
    }

    Optional<Long> group() {
      return Optional.ofNullable(group);
    }
  }
}
