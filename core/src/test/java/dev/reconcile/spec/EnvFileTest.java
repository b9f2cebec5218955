package dev.reconcile.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvFileTest {
  @Test
  void parse_commentsExportAndQuotes_areHandled() {
    var values = EnvFile.parse("""
        # database
        DATABASE_URL=postgres://db/x
        export SECRET_KEY="s3cr=t"
        EMPTY=
        QUOTED='single'
        not a line
        """);

    assertThat(values).containsExactly(
        Map.entry("DATABASE_URL", "postgres://db/x"),
        Map.entry("SECRET_KEY", "s3cr=t"),
        Map.entry("EMPTY", ""),
        Map.entry("QUOTED", "single"));
  }

  @Test
  void lookup_processEnvironment_winsOverFile() {
    var lookup = EnvFile.lookup(Map.of("A", "process"), Map.of("A", "file", "B", "file"));

    assertThat(lookup.apply("A")).contains("process");
    assertThat(lookup.apply("B")).contains("file");
    assertThat(lookup.apply("C")).isEmpty();
  }
}
