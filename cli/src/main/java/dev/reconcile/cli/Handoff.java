package dev.reconcile.cli;

import dev.reconcile.cli.view.Terminal;
import dev.reconcile.execute.Cancellation;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.URISyntaxException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A run handed to the controller: when a {@code reconcile watch} of the same projects.yml, built
 * the same, runs as the same user, {@code plan}, {@code apply --yes} and {@code rollback --yes} run
 * inside it and this process only carries the output back. A warm process plans in a fraction of a
 * cold one's time, which is what a one-shot run cannot get below under load (docs/benchmarks.md,
 * latency to first action).
 *
 * <p>The run is the caller's in everything but the process: its arguments, directory and
 * environment are sent, its SIGTERM or SIGINT is sent on and cancels the apply as it would here,
 * and it exits with the run's code. Anything else, or any doubt, runs here as before: the
 * controller may decline (another build, other plugins) before anything happens.
 *
 * <p>This class loads nothing of the command line: it decides before picocli is touched.
 */
final class Handoff {
  /** Sent first; a controller that speaks another version declines. */
  static final String PROTOCOL = "reconcile-handoff 1";

  static final byte ACCEPTED = 'A';
  static final byte DECLINED = 'D';
  static final byte OUT = 'O';
  static final byte ERR = 'E';
  static final byte EXIT = 'X';
  static final byte CANCEL = 'C';

  /** The commands handed over: read-only, or an apply or rollback that asks nothing. */
  private static final Set<String> HANDED = Set.of("plan", "apply", "rollback");

  private Handoff() {}

  /** Exits with the handed run's code, or 75 (EX_TEMPFAIL) when no controller took it. */
  public static void main(String[] args) {
    System.exit(run(args).orElse(NOT_HANDED));
  }

  static final int NOT_HANDED = 75;

  /** What a run asks for, as sent. */
  record Request(
      String protocol,
      String build,
      String cwd,
      List<String> args,
      Map<String, String> env,
      boolean interactive,
      long pid) {
    void write(DataOutputStream out) throws IOException {
      out.writeUTF(protocol);
      writeString(out, build);
      writeString(out, cwd);
      out.writeInt(args.size());
      for (var arg : args) {
        writeString(out, arg);
      }
      out.writeInt(env.size());
      for (var e : env.entrySet()) {
        writeString(out, e.getKey());
        writeString(out, e.getValue());
      }
      out.writeBoolean(interactive);
      out.writeLong(pid);
      out.flush();
    }

    static Request read(DataInputStream in) throws IOException {
      var protocol = in.readUTF();
      if (!protocol.equals(PROTOCOL)) {
        return new Request(protocol, "", "", List.of(), Map.of(), false, 0);
      }
      var build = readString(in);
      var cwd = readString(in);
      var args = new ArrayList<String>();
      for (int i = 0, n = count(in); i < n; i++) {
        args.add(readString(in));
      }
      var env = new LinkedHashMap<String, String>();
      for (int i = 0, n = count(in); i < n; i++) {
        env.put(readString(in), readString(in));
      }
      return new Request(
          protocol, build, cwd, List.copyOf(args), env, in.readBoolean(), in.readLong());
    }
  }

  /**
   * Runs {@code args} in the controller of their projects.yml, if one takes it: its exit code; else
   * empty, having done nothing, and the caller runs them itself.
   */
  static OptionalInt run(String... args) {
    var env = System.getenv();
    if (!eligible(env, args)) {
      return OptionalInt.empty();
    }
    var spec = specFile(args);
    if (spec.isEmpty()) {
      return OptionalInt.empty();
    }
    Optional<Path> socket;
    try {
      socket = socket(Path.of("").toAbsolutePath().resolve(spec.get()));
    } catch (IOException | RuntimeException e) {
      return OptionalInt.empty(); // no spec there: the run here says so
    }
    if (socket.isEmpty() || !Files.exists(socket.get(), LinkOption.NOFOLLOW_LINKS)) {
      return OptionalInt.empty();
    }
    SocketChannel channel;
    try {
      channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      channel.connect(UnixDomainSocketAddress.of(socket.get()));
    } catch (IOException | RuntimeException e) {
      return OptionalInt.empty(); // a controller that has gone: its socket is stale
    }
    try (channel) {
      var out = new DataOutputStream(Channels.newOutputStream(channel));
      var in = new DataInputStream(Channels.newInputStream(channel));
      new Request(
              PROTOCOL,
              build(),
              Path.of("").toAbsolutePath().toString(),
              List.of(args),
              env,
              Terminal.system().interactive(),
              ProcessHandle.current().pid())
          .write(out);
      if (in.readByte() != ACCEPTED) {
        return OptionalInt.empty(); // declined, with nothing done
      }
      return OptionalInt.of(follow(in, out));
    } catch (IOException e) {
      // Not accepted yet: nothing ran there, so it runs here.
      return OptionalInt.empty();
    }
  }

  /** Carries the run's output here until its exit code; a signal here is sent on. */
  private static int follow(DataInputStream in, DataOutputStream out) {
    var cancellation = new Cancellation();
    try (var signals = Signals.cancelOn(cancellation, signal -> {
      try {
        synchronized (out) {
          out.writeByte(CANCEL);
          out.writeUTF(signal);
          out.flush();
        }
      } catch (IOException e) {
        // The run is over or the controller gone: the frames below tell which.
      }
    })) {
      while (true) {
        var type = in.readByte();
        if (type == EXIT) {
          return in.readInt();
        }
        var bytes = new byte[in.readInt()];
        in.readFully(bytes);
        var to = type == OUT ? System.out : System.err;
        to.write(bytes, 0, bytes.length);
        to.flush();
      }
    } catch (IOException e) {
      System.err.println("reconcile: the controller ('reconcile watch') that ran this stopped "
          + "before it ended (" + (e instanceof EOFException ? "connection closed" : e.getMessage())
          + "); what it did is in 'reconcile plan' and 'reconcile history'");
      return ExitCodes.ERROR;
    }
  }

  /**
   * Whether a run may be handed over at all: plan, or apply and rollback with --yes (nothing to
   * ask); not help,
   * not a test's fault injection (which acts on this process), not when turned off.
   */
  static boolean eligible(Map<String, String> env, String... args) {
    if ("off".equals(env.get("RECONCILE_HANDOFF"))) {
      return false;
    }
    for (var name : env.keySet()) {
      if (name.startsWith("RECONCILE_TEST_")) {
        return false;
      }
    }
    var command = Optional.<String>empty();
    var yes = false;
    for (int i = 0; i < args.length; i++) {
      var arg = args[i];
      switch (arg) {
        case "--help", "-h", "--version", "-V" -> {
          return false;
        }
        case "--yes" -> yes = true;
        case "-f", "--file", "--output" -> i++;
        default -> {
          if (command.isEmpty() && !arg.startsWith("-")) {
            command = Optional.of(arg);
          }
        }
      }
    }
    return command.isPresent()
        && HANDED.contains(command.get())
        && (yes || command.get().equals("plan"));
  }

  /**
   * The spec a run names (-f or --file, else projects.yml); empty when it is named in a way this
   * does not read (then the run stays here).
   */
  static Optional<String> specFile(String... args) {
    String file = null;
    for (int i = 0; i < args.length; i++) {
      var arg = args[i];
      String value = null;
      if ((arg.equals("-f") || arg.equals("--file")) && i + 1 < args.length) {
        value = args[++i];
      } else if (arg.startsWith("--file=")) {
        value = arg.substring("--file=".length());
      } else if (arg.startsWith("-f") && !arg.equals("-f")) {
        return Optional.empty(); // -fX: picocli reads it; this does not try
      }
      if (value != null) {
        if (file != null) {
          return Optional.empty();
        }
        file = value;
      }
    }
    return Optional.of(file == null ? "projects.yml" : file);
  }

  /**
   * Where the controller of {@code spec} listens: a socket in a directory of this user's that no
   * one else may enter. Empty when that directory is not such (someone else's, or open to others):
   * a run never sends its environment where another user could listen.
   */
  static Optional<Path> socket(Path spec) throws IOException {
    var real = spec.toRealPath();
    var dir = directory();
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
        || !Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS)
            .getName()
            .equals(System.getProperty("user.name"))
        || !Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).equals(OWNER_ONLY)) {
      return Optional.empty();
    }
    return Optional.of(dir.resolve(name(real.toString()) + ".sock"));
  }

  static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(
      PosixFilePermission.OWNER_READ,
      PosixFilePermission.OWNER_WRITE,
      PosixFilePermission.OWNER_EXECUTE);

  /** This user's directory of controller sockets. */
  static Path directory() {
    return Path.of(
        System.getProperty("java.io.tmpdir"), "reconcile-" + System.getProperty("user.name"));
  }

  /** A socket's name for a spec's real path (short: a socket's path is limited to 107 bytes). */
  static String name(String realPath) {
    long hash = 0xcbf29ce484222325L; // FNV-1a, 64 bits
    for (var b : realPath.getBytes(StandardCharsets.UTF_8)) {
      hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
    }
    return Long.toHexString(hash);
  }

  /**
   * This build, as both ends see it: the JDK, the class path (plugins included) and when the jar
   * holding this class was made. Another build declines: it could plan differently.
   */
  static String build() {
    var where = "";
    try {
      var source = Handoff.class.getProtectionDomain().getCodeSource();
      if (source != null) {
        var path = Path.of(source.getLocation().toURI());
        where = path + "@" + Files.getLastModifiedTime(path).toMillis() + "+" + Files.size(path);
      }
    } catch (IOException | URISyntaxException | RuntimeException e) {
      where = "unknown";
    }
    return Runtime.version() + "|" + System.getProperty("java.class.path") + "|" + where;
  }

  static void writeString(DataOutputStream out, String s) throws IOException {
    var bytes = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  static String readString(DataInputStream in) throws IOException {
    var bytes = new byte[count(in)];
    in.readFully(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** A length or count, bounded: a broken or hostile peer cannot make this allocate gigabytes. */
  private static int count(DataInputStream in) throws IOException {
    var n = in.readInt();
    if (n < 0 || n > (16 << 20)) {
      throw new IOException("a length of " + n + " in the handoff: not a reconcile client");
    }
    return n;
  }

  /** One stream of a run's output as frames of its type. */
  static PrintStream frames(DataOutputStream to, byte type) {
    return new PrintStream(
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            synchronized (to) {
              to.writeByte(type);
              to.writeInt(len);
              to.write(b, off, len);
              to.flush();
            }
          }
        },
        true,
        StandardCharsets.UTF_8);
  }

  /** Reads the client's interrupts until it ends; each one calls {@code interrupted}. */
  static void listen(InputStream from, java.util.function.Consumer<String> interrupted) {
    var in = new DataInputStream(from);
    try {
      while (true) {
        if (in.readByte() == CANCEL) {
          interrupted.accept(in.readUTF());
        }
      }
    } catch (IOException e) {
      interrupted.accept(""); // gone: as if it had been stopped
    }
  }
}
