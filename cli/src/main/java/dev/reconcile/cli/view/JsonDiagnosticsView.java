package dev.reconcile.cli.view;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.reconcile.diag.Diagnostics;
import dev.reconcile.validate.ValidatedSpec;
import java.io.UncheckedIOException;

/**
 * Problems as a JSON list on standard output, one object per problem: {@code file, line, column,
 * severity, message, path} and {@code hint} when there is one. An empty list means valid.
 */
final class JsonDiagnosticsView implements DiagnosticsView {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Terminal terminal;

  JsonDiagnosticsView(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public void validated(String file, ValidatedSpec result) {
    print(result.diagnostics());
  }

  @Override
  public void report(String file, Diagnostics diagnostics) {
    print(diagnostics);
  }

  private void print(Diagnostics diagnostics) {
    var list = JSON.createArrayNode();
    for (var d : diagnostics) {
      var o = list.addObject();
      o.put("file", d.position().file());
      o.put("line", d.position().line());
      o.put("column", d.position().column());
      o.put("severity", d.severity().label());
      o.put("message", d.message());
      o.put("path", d.path());
      d.hint().ifPresent(h -> o.put("hint", h));
    }
    try {
      terminal.out().println(JSON.writeValueAsString(list));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
