package dev.reconcile.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reconcile.model.ContainerSpec;
import dev.reconcile.resource.SpecHash;
import dev.reconcile.spec.SpecBinder;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A container spec in its projects.yml form, env values as written ({@code ${VAR}} stays a
 * reference: secrets are never stored), so that a snapshot can start it again.
 */
public final class ContainerSpecJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ContainerSpecJson() {}

  public static String write(ContainerSpec spec) {
    var json = JSON.createObjectNode();
    json.put("image", spec.image().toString());
    spec.port().ifPresent(p -> json.put("port", p));
    if (!spec.apiLocations().isEmpty()) {
      var locations = json.putArray("api_locations");
      spec.apiLocations().forEach(locations::add);
    }
    var env = json.putObject("env");
    spec.env().forEach((k, v) -> env.put(k, v.template()));
    var volumes = json.putObject("volumes");
    spec.volumes().forEach(volumes::put);
    if (!spec.command().isEmpty()) {
      var command = json.putArray("command");
      spec.command().forEach(command::add);
    }
    spec.health().ifPresent(h -> {
      ObjectNode health = json.putObject("health");
      h.path().ifPresent(p -> health.put("path", p));
      health.put("interval", h.interval().toMillis() + "ms").put("timeout", h.timeout().toMillis() + "ms")
          .put("retries", h.retries());
    });
    var smoke = json.putArray("smoke");
    spec.smoke().forEach(c -> {
      var check = smoke.addObject().put("path", c.path()).put("status", c.status());
      c.contains().ifPresent(t -> check.put("contains", t));
    });
    spec.update().ifPresent(u -> json.put("update", u.word()));
    return SpecHash.canonicalJson(json);
  }

  public static ContainerSpec read(String name, String text) {
    try {
      JsonNode json = JSON.readTree(text);
      return SpecBinder.containerFrom(name, json);
    } catch (IOException e) {
      throw new UncheckedIOException("a snapshot's container spec is not JSON", e);
    }
  }
}
