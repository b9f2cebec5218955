package dev.reconcile.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CommandLineTest {
  @Test
  void toString_redactedValue_isHidden() {
    var command = new CommandLine(
        List.of("psql", "postgres://app:s3cret@db/x", "-c", "select 1"), Set.of("s3cret"));

    assertThat(command.toString()).isEqualTo("psql postgres://app:<hidden>@db/x -c 'select 1'");
  }

  @Test
  void toString_plainArguments_areUnquoted() {
    assertThat(CommandLine.of("nginx", "-t", "-p", "/srv/state/nginx").toString())
        .isEqualTo("nginx -t -p /srv/state/nginx");
  }
}
