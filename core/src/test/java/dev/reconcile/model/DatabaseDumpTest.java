package dev.reconcile.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DatabaseDumpTest {
  private static DatabaseDump of(DatabaseDump.Engine engine, String database, String path) {
    return new DatabaseDump(
        "main",
        engine,
        "db",
        Optional.ofNullable(database),
        Optional.empty(),
        Optional.ofNullable(path),
        List.of(),
        List.of());
  }

  @Test
  void postgres_dumpsCleanSql_andLoadsItInOneTransactionThatStopsAtTheFirstError() {
    var pg = of(DatabaseDump.Engine.POSTGRES, "shop", null);
    assertThat(pg.dumpArgv())
        .containsExactly(
            "pg_dump",
            "--username",
            "postgres",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--lock-wait-timeout=300s",
            "--dbname",
            "shop");
    assertThat(pg.restoreArgv())
        .contains("--single-transaction", "ON_ERROR_STOP=1")
        .endsWith("--file", "-");
  }

  @Test
  void namesFromProjectsYml_areArguments_neverPartOfTheShellScript() {
    var hostile = "shop; rm -rf / #$(reboot)";
    for (var dump : List.of(
        of(DatabaseDump.Engine.MYSQL, hostile, null),
        of(DatabaseDump.Engine.POSTGRES, hostile, null),
        of(DatabaseDump.Engine.SQLITE, null, "/data/" + hostile))) {
      for (var argv : List.of(dump.dumpArgv(), dump.restoreArgv())) {
        assertThat(argv).as(dump.engine() + " " + argv).anyMatch(a -> a.endsWith(hostile));
        if (argv.getFirst().equals("sh")) {
          assertThat(argv.get(2))
              .as("the script is fixed text")
              .doesNotContain("rm -rf /", "reboot");
        }
      }
    }
  }

  @Test
  void mysql_takesItsPasswordFromTheContainersEnvironment_andEndsOptionsBeforeTheName() {
    var my = of(DatabaseDump.Engine.MYSQL, "-shop", null);
    assertThat(my.dumpArgv())
        .startsWith("sh", "-c")
        .contains("mysqldump", "--single-transaction")
        .endsWith("--", "-shop");
    assertThat(my.dumpArgv().get(2)).contains("MYSQL_ROOT_PASSWORD", "exec \"$@\"");
  }

  @Test
  void sqlite_loadsIntoANewFileThatReplacesTheOldAtOnce_andRestartsItsContainer() {
    var lite = of(DatabaseDump.Engine.SQLITE, null, "/data/app.db");
    assertThat(lite.dumpArgv()).containsExactly("sqlite3", "/data/app.db", ".dump");
    assertThat(lite.restoreArgv().get(2))
        .contains("sqlite3 \"$1.restoring\"", "mv \"$1.restoring\" \"$1\"");
    assertThat(lite.restoreArgv().getLast()).isEqualTo("/data/app.db");
    assertThat(lite.restartAfterRestore()).isTrue();
  }

  @Test
  void command_runsTheUsersOwnArgv() {
    var own = new DatabaseDump(
        "files",
        DatabaseDump.Engine.COMMAND,
        "app",
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        List.of("tar", "c", "/srv"),
        List.of("tar", "x", "-C", "/"));
    assertThat(own.dumpArgv()).containsExactly("tar", "c", "/srv");
    assertThat(own.restoreArgv()).containsExactly("tar", "x", "-C", "/");
    assertThat(own.restartAfterRestore()).isFalse();
    assertThat(own.fileName()).isEqualTo("database-files.sql.gz");
  }
}
