package dev.reconcile.cli;

import dev.reconcile.cli.view.Terminal;
import dev.reconcile.execute.Cancellation;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The controller's end of {@link Handoff}: runs a client's plan, apply or rollback in this warm
 * process, as the client would have run it (its arguments, directory, environment and signals), and
 * sends the output and exit code back. Listens on a Unix socket in a directory only this user may
 * enter.
 */
final class HandoffServer implements AutoCloseable {
  /** Runs at once; a client beyond that runs its command itself. */
  private static final int MOST = 8;

  /** How long closing waits for runs under way to finish or roll back once cancelled. */
  private static final Duration FINISH = Duration.ofSeconds(60);

  private final ServerSocketChannel server;
  private final Path socket;
  private final String build = Handoff.build();
  private final Consumer<String> log;
  private final Set<Run> running = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;

  private HandoffServer(ServerSocketChannel server, Path socket, Consumer<String> log) {
    this.server = server;
    this.socket = socket;
    this.log = log;
    this.acceptor = Thread.ofPlatform().name("handoff").daemon().unstarted(this::accept);
  }

  /**
   * Listens for runs of {@code spec}'s clients; empty, having said why, when it cannot (another
   * controller of the same file listens, or the socket's directory is not this user's alone).
   */
  static Optional<HandoffServer> start(Path spec, Consumer<String> log) {
    var dir = Handoff.directory();
    try {
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(Handoff.OWNER_ONLY));
      }
      var socket = Handoff.socket(spec);
      if (socket.isEmpty()) {
        log.accept(
            "runs are not handed to this controller: " + dir + " is not this user's alone (owner "
                + System.getProperty("user.name") + ", mode 700)");
        return Optional.empty();
      }
      var path = socket.get();
      if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
        try (var probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
          probe.connect(UnixDomainSocketAddress.of(path));
          log.accept("runs are not handed to this controller: another controller of " + spec
              + " takes them (" + path + ")");
          return Optional.empty();
        } catch (IOException stale) {
          Files.deleteIfExists(path); // left by a controller that was killed
        }
      }
      var channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      channel.bind(UnixDomainSocketAddress.of(path));
      var started = new HandoffServer(channel, path, log);
      started.acceptor.start();
      return Optional.of(started);
    } catch (IOException | RuntimeException e) {
      log.accept("runs are not handed to this controller: " + e.getMessage());
      return Optional.empty();
    }
  }

  Path socket() {
    return socket;
  }

  private void accept() {
    while (server.isOpen()) {
      SocketChannel client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      Thread.ofPlatform().name("handoff-run").daemon().start(() -> serve(client));
    }
  }

  private void serve(SocketChannel channel) {
    try (channel) {
      var in = new DataInputStream(Channels.newInputStream(channel));
      var out = new DataOutputStream(Channels.newOutputStream(channel));
      var request = Handoff.Request.read(in);
      var declined = declined(request);
      if (declined.isPresent()) {
        log.accept("handoff: declined a run for pid " + request.pid() + ": " + declined.get());
        out.writeByte(Handoff.DECLINED);
        out.writeUTF(declined.get());
        out.flush();
        return;
      }
      var run = new Run();
      running.add(run);
      try {
        out.writeByte(Handoff.ACCEPTED);
        out.flush();
        Thread.ofPlatform()
            .name("handoff-signals")
            .daemon()
            .start(() -> Handoff.listen(Channels.newInputStream(channel), run::interrupted));
        var terminal = new Terminal(
            Handoff.frames(out, Handoff.OUT),
            Handoff.frames(out, Handoff.ERR),
            request.interactive(),
            false);
        var caller =
            new Caller(request.env(), Path.of(request.cwd()), run, true, terminal.err()::println);
        var started = System.nanoTime();
        int code;
        try {
          code = Main.run(
              new ReconcileCommand(terminal, caller),
              terminal,
              request.args().toArray(String[]::new));
        } catch (RuntimeException | LinkageError e) {
          terminal.err().println("reconcile: internal error in the controller's run: " + e);
          code = ExitCodes.ERROR;
        }
        terminal.out().flush();
        terminal.err().flush();
        // Logged before the client hears the end: whoever waits for the client finds it logged.
        log.accept("handoff: ran '" + String.join(" ", request.args()) + "' for pid "
            + request.pid() + ": exit " + code + " after "
            + (System.nanoTime() - started) / 1_000_000 + " ms");
        synchronized (out) {
          out.writeByte(Handoff.EXIT);
          out.writeInt(code);
          out.flush();
        }
      } finally {
        running.remove(run);
        run.finished();
      }
    } catch (IOException e) {
      // The client went away before or after its run: nothing of it is left to do.
    }
  }

  /** Why this process does not take a run; empty when it does. */
  private Optional<String> declined(Handoff.Request request) {
    if (!request.protocol().equals(Handoff.PROTOCOL)) {
      return Optional.of("it speaks " + request.protocol() + ", not " + Handoff.PROTOCOL);
    }
    if (!request.build().equals(build)) {
      return Optional.of("another build of reconcile (or other plugins) than this controller's");
    }
    if (!Path.of(request.cwd()).isAbsolute()
        || !Handoff.eligible(request.env(), request.args().toArray(String[]::new))) {
      return Optional.of("not a run that is handed over");
    }
    if (running.size() >= MOST) {
      return Optional.of(MOST + " runs are under way here already");
    }
    return Optional.empty();
  }

  /**
   * Stops taking runs; the runs under way are cancelled as if their clients had sent SIGTERM and
   * are waited for (each finishes or rolls back its step), for at most a minute.
   */
  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // Closing what is being closed: nothing left to do.
    }
    try {
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      // A stale socket is found and replaced by the next controller.
    }
    var deadline = System.nanoTime() + FINISH.toNanos();
    for (var run : List.copyOf(running)) {
      run.interrupted("SIGTERM");
    }
    for (var run : List.copyOf(running)) {
      run.awaitFinished(deadline);
    }
  }

  /** One client's run: what its interrupts cancel. */
  private static final class Run implements Caller.Interrupts {
    private final List<Listening> listening = new ArrayList<>();
    private String heard = "";
    private boolean finished;

    private record Listening(Cancellation cancellation, Consumer<String> said) {}

    @Override
    public synchronized Caller.Handle cancelOn(Cancellation cancellation, Consumer<String> said) {
      var entry = new Listening(cancellation, said);
      listening.add(entry);
      if (!heard.isEmpty()) {
        cancel(entry);
      }
      return () -> {
        synchronized (this) {
          listening.remove(entry);
        }
      };
    }

    /** The client sent {@code signal} ("" when it went away). */
    synchronized void interrupted(String signal) {
      if (!heard.isEmpty() || finished) {
        return; // a second signal ends the client at once; here the step still finishes
      }
      heard = signal.isEmpty() ? "the client went away" : signal;
      new ArrayList<>(listening).forEach(this::cancel);
    }

    private void cancel(Listening entry) {
      entry
          .cancellation()
          .cancel(heard.startsWith("SIG") ? "stopped by " + heard : "stopped: " + heard);
      entry.said().accept(heard);
    }

    synchronized void finished() {
      finished = true;
      notifyAll();
    }

    synchronized void awaitFinished(long deadline) {
      while (!finished) {
        var left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          return;
        }
        try {
          wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
