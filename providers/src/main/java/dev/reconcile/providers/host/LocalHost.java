package dev.reconcile.providers.host;

import dev.reconcile.host.BoundedInput;
import dev.reconcile.host.CommandLine;
import dev.reconcile.host.CommandResult;
import dev.reconcile.host.Host;
import dev.reconcile.host.StateHome;
import dev.reconcile.util.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** This machine: commands through {@link ProcessBuilder}, files through NIO, ports on loopback. */
public final class LocalHost implements Host {
  private final String name;
  private final LocalCommandRunner runner = new LocalCommandRunner();

  public LocalHost(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public CommandResult run(CommandLine command, Duration timeout) throws IOException {
    return runner.run(command, timeout);
  }

  @Override
  public CommandResult runDetached(CommandLine command, Path log, Duration timeout)
      throws IOException {
    Files.createDirectories(log.toAbsolutePath().getParent());
    var process = new ProcessBuilder(command.argv())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
        .start();
    process.getOutputStream().close();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IOException("'" + command + "' did not finish within " + Host.describe(timeout)
            + " and was killed");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while running '" + command + "'");
    }
    return new CommandResult(command, process.exitValue(), tail(log));
  }

  @Override
  public Pipe open(CommandLine command) throws IOException {
    var process = new ProcessBuilder(command.argv())
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    return new Pipe() {
      @Override
      public InputStream in() {
        return process.getInputStream();
      }

      @Override
      public OutputStream out() {
        return process.getOutputStream();
      }

      @Override
      public void close() {
        process.destroy();
      }
    };
  }

  @Override
  public int interactive(CommandLine command, boolean terminal)
      throws IOException, InterruptedException {
    // This process's own terminal, handed on as it is.
    var process = new ProcessBuilder(command.argv()).inheritIO().start();
    try {
      return process.waitFor();
    } catch (InterruptedException e) {
      process.destroy();
      throw e;
    }
  }

  private static String tail(Path log) throws IOException {
    var text = Files.readString(log, StandardCharsets.UTF_8);
    return text.length() > MAX_OUTPUT ? text.substring(text.length() - MAX_OUTPUT) : text;
  }

  @Override
  public Optional<String> read(Path file) throws IOException {
    return StateHome.Local.readHere(file);
  }

  @Override
  public void write(Path file, String text) throws IOException {
    AtomicFiles.writeString(file, text);
  }

  @Override
  public void writePrivate(Path file, String text) throws IOException {
    AtomicFiles.writeString(file, text, AtomicFiles.PRIVATE);
  }

  @Override
  public void upload(Path file, InputStream content) throws IOException {
    try (var channel = FileChannel.open(
        file,
        Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
      content.transferTo(Channels.newOutputStream(channel));
      channel.force(true);
    }
  }

  @Override
  public void createPrivateDirectories(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
  }

  @Override
  public InputStream download(Path file, long offset, long length) throws IOException {
    var channel = FileChannel.open(file);
    try {
      return new BoundedInput(Channels.newInputStream(channel.position(offset)), length);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  @Override
  public OptionalLong size(Path file) throws IOException {
    try {
      return OptionalLong.of(Files.size(file));
    } catch (NoSuchFileException e) {
      return OptionalLong.empty();
    }
  }

  @Override
  public void rename(Path from, Path to) throws IOException {
    if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
      throw new FileAlreadyExistsException(to.toString());
    }
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public boolean delete(Path file) throws IOException {
    return Files.deleteIfExists(file);
  }

  @Override
  public List<String> list(Path dir) throws IOException {
    return StateHome.Local.listHere(dir);
  }

  @Override
  public void createDirectories(Path dir) throws IOException {
    Files.createDirectories(dir);
  }

  @Override
  public Path createTempDirectory(Path parent, String prefix) throws IOException {
    Files.createDirectories(parent);
    return Files.createTempDirectory(parent, prefix);
  }

  @Override
  public void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (var p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Override
  public InetSocketAddress reach(String address, int port) {
    return new InetSocketAddress(address, port);
  }

  @Override
  public boolean portFree(int port) {
    try (var socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public OptionalLong freeBytes(Path place) throws IOException {
    var p = place.toAbsolutePath();
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    return p == null
        ? OptionalLong.empty()
        : OptionalLong.of(Files.getFileStore(p).getUsableSpace());
  }

  @Override
  public void close() {
    // Nothing is held open.
  }

  @Override
  public String toString() {
    return "LocalHost[" + name + "]";
  }
}
