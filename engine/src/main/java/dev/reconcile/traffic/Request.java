package dev.reconcile.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * One request as the access log holds it.
 *
 * @param upstream the address that answered ({@code 127.0.0.1:PORT}); empty when nginx answered
 *     itself; the last one when nginx tried several
 */
public record Request(Instant time, int status, String upstream) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A line of the log; empty for one that is not the tool's JSON (a torn or foreign line). */
  public static Optional<Request> parse(String line) {
    if (line.isBlank() || line.charAt(0) != '{') {
      return Optional.empty();
    }
    try {
      JsonNode json = JSON.readTree(line);
      if (!json.path("status").canConvertToInt() || !json.path("time").isTextual()) {
        return Optional.empty();
      }
      var upstream = json.path("upstream").asText("");
      var last = upstream.lastIndexOf(", ");
      upstream = last >= 0 ? upstream.substring(last + 2) : upstream;
      return Optional.of(new Request(
          OffsetDateTime.parse(json.get("time").asText()).toInstant(),
          json.get("status").asInt(),
          upstream.equals("-") ? "" : upstream));
    } catch (IOException | DateTimeParseException e) {
      return Optional.empty();
    }
  }

  public boolean serverError() {
    return status >= 500 && status <= 599;
  }
}
