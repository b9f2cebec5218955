package dev.reconcile.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A database dumped into every backup: the dump and the restore run inside the project's
 * container {@code container}, always as an argv (names from projects.yml are arguments, never
 * spliced into a shell string).
 *
 * @param database postgres, mysql: the database
 * @param user postgres, mysql: who the dump connects as
 * @param path sqlite: the database file inside the container
 * @param dump command: writes the dump to standard output
 * @param restore command: reads a dump on standard input
 */
public record DatabaseDump(
    String name,
    Engine engine,
    String container,
    Optional<String> database,
    Optional<String> user,
    Optional<String> path,
    List<String> dump,
    List<String> restore) {

  public enum Engine {
    POSTGRES,
    MYSQL,
    SQLITE,
    COMMAND;

    public static Engine fromWord(String word) {
      return valueOf(word.toUpperCase(Locale.ROOT));
    }

    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public DatabaseDump {
    dump = List.copyOf(dump);
    restore = List.copyOf(restore);
  }

  /**
   * mysql clients read MYSQL_PWD; the official images keep the password in MYSQL_PASSWORD or
   * MYSQL_ROOT_PASSWORD. The script is fixed text: the tool and its arguments follow as "$@".
   */
  private static final String MYSQL_PASSWORD_FROM_ENV =
      "MYSQL_PWD=\"${MYSQL_PWD:-${MYSQL_PASSWORD:-$MYSQL_ROOT_PASSWORD}}\"; export MYSQL_PWD; exec \"$@\"";

  /** The argv that writes a consistent dump of the database to standard output. */
  public List<String> dumpArgv() {
    return switch (engine) {
      // --clean --if-exists: the dump drops what it creates, so a restore replaces the data.
      // --lock-wait-timeout: behind a migration's lock it fails instead of waiting with ours held.
      case POSTGRES ->
        List.of(
            "pg_dump",
            "--username",
            user.orElse("postgres"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--lock-wait-timeout=300s",
            "--dbname",
            database.orElseThrow());
      // --single-transaction: a consistent snapshot of InnoDB tables without locking them.
      case MYSQL ->
        List.of(
            "sh",
            "-c",
            MYSQL_PASSWORD_FROM_ENV,
            "mysqldump",
            "mysqldump",
            "--single-transaction",
            "--routines",
            "--triggers",
            "--add-drop-table",
            "--user",
            user.orElse("root"),
            "--",
            database.orElseThrow());
      // .dump reads inside one transaction: a consistent copy while the app writes.
      case SQLITE -> List.of("sqlite3", path.orElseThrow(), ".dump");
      case COMMAND -> dump;
    };
  }

  /** The argv that reads a dump on standard input and puts the database back to its state. */
  public List<String> restoreArgv() {
    return switch (engine) {
      case POSTGRES ->
        List.of(
            "psql",
            "--username",
            user.orElse("postgres"),
            "--dbname",
            database.orElseThrow(),
            "--set",
            "ON_ERROR_STOP=1",
            "--single-transaction",
            "--quiet",
            "--file",
            "-");
      case MYSQL ->
        List.of(
            "sh",
            "-c",
            MYSQL_PASSWORD_FROM_ENV,
            "mysql",
            "mysql",
            "--user",
            user.orElse("root"),
            "--",
            database.orElseThrow());
      // The dump creates tables: it is loaded into a new file that then replaces the old one at
      // once, so a failed load leaves the database as it was.
      case SQLITE -> {
        var file = path.orElseThrow();
        yield List.of(
            "sh",
            "-c",
            "rm -f \"$1.restoring\" && sqlite3 \"$1.restoring\" && rm -f \"$1-wal\" \"$1-shm\" "
                + "\"$1-journal\" && mv \"$1.restoring\" \"$1\"",
            "sqlite-restore",
            file);
      }
      case COMMAND -> restore;
    };
  }

  /** Whether the container must be started again after a restore to see it (it holds the file). */
  public boolean restartAfterRestore() {
    return engine == Engine.SQLITE;
  }

  /** The artifact's file name in a backup. */
  public String fileName() {
    return "database-" + name + ".sql.gz";
  }

  /** What is shown of it: the engine and where it runs. */
  public String describe() {
    var parts = new ArrayList<String>();
    parts.add(engine.word());
    database.ifPresent(parts::add);
    path.ifPresent(parts::add);
    return name + " (" + String.join(" ", parts) + " in container " + container + ")";
  }
}
