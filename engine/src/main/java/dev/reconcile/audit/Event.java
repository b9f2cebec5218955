package dev.reconcile.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Something the tool did or found, for the audit log and the webhook.
 *
 * @param type apply, rollback, heal, drift, backup, failure
 * @param environment {@code project/environment}, or empty for the whole run
 * @param outcome e.g. applied, failed, found, taken
 * @param summary one line for people; never a secret value
 * @param fields more, by name (ids, serials, counts); never a secret value
 */
public record Event(
    String time,
    String type,
    String environment,
    String outcome,
    String summary,
    Map<String, String> fields) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public Event {
    fields = Collections.unmodifiableMap(new TreeMap<>(fields));
  }

  public ObjectNode toJson() {
    var o = JSON.createObjectNode()
        .put("time", time)
        .put("type", type)
        .put("environment", environment)
        .put("outcome", outcome)
        .put("summary", summary);
    var f = o.putObject("fields");
    fields.forEach(f::put);
    return o;
  }

  public String line() {
    try {
      return JSON.writeValueAsString(toJson());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
