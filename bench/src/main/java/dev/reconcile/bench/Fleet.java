package dev.reconcile.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A synthetic fleet: its projects.yml, and an observed state in the golden-fixture format. */
final class Fleet {
  private static final List<String> ENVIRONMENTS = List.of("production", "staging");

  private Fleet() {}

  static String spec(int projects) {
    var yaml = new StringBuilder("version: 1\nprojects:\n");
    for (int i = 0; i < projects; i++) {
      var name = "p" + i;
      yaml.append("  ")
          .append(name)
          .append(":\n")
          .append("    domains: { production: ")
          .append(name)
          .append(".example.com, staging: staging.")
          .append(name)
          .append(".example.com }\n")
          .append("    env_file: .env.{environment}\n")
          .append("    containers:\n")
          .append("      web: { image: \"example/web:1.0\", port: 80 }\n")
          .append("      api:\n        image: example/api:2.0\n        port: 3000\n")
          .append("        api_locations: [/api, /admin]\n")
          .append("        env: { LOG_LEVEL: info, DATABASE_URL: \"${DATABASE_URL}\" }\n")
          .append(
              "      worker: { image: \"example/worker:2.0\", command: [worker, --queue, default] }\n");
    }
    return yaml.toString();
  }

  /** Everything running as declared, except the api of every tenth project runs an older image. */
  static Map<String, Object> observed(int projects) {
    var containers = new ArrayList<Map<String, Object>>();
    var sites = new ArrayList<Map<String, Object>>();
    var port = 20000;
    for (int i = 0; i < projects; i++) {
      for (var environment : ENVIRONMENTS) {
        var key = "p" + i + "/" + environment;
        var webPort = ++port;
        var apiPort = ++port;
        containers.add(Map.of("id", "container:" + key + "/web", "port", webPort));
        var api = new LinkedHashMap<String, Object>(
            Map.of("id", "container:" + key + "/api", "port", apiPort));
        if (i % 10 == 0) {
          api.put("recorded", Map.of("image", "example/api:1.9"));
        }
        containers.add(api);
        containers.add(Map.of("id", "container:" + key + "/worker"));
        sites.add(Map.of(
            "id",
            "site:" + key,
            "upstreams",
            Map.of("web", "127.0.0.1:" + webPort, "api", "127.0.0.1:" + apiPort)));
      }
    }
    return Map.of("containers", containers, "sites", sites);
  }
}
