package dev.reconcile.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reconcile.compose.ComposeProject.Healthcheck;
import dev.reconcile.compose.ComposeProject.Mount;
import dev.reconcile.compose.ComposeProject.Port;
import dev.reconcile.compose.ComposeProject.Service;
import dev.reconcile.diag.Diagnostic;
import dev.reconcile.diag.Diagnostics;
import dev.reconcile.diag.SourcePosition;
import dev.reconcile.spec.EnvFile;
import dev.reconcile.spec.SpecDocument;
import dev.reconcile.spec.SpecLoader;
import dev.reconcile.spec.SpecPath;
import dev.reconcile.util.AtomicFiles;
import dev.reconcile.util.Texts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads compose files the way {@code docker compose} does where projects.yml can follow:
 * several {@code -f} files merged in order, variables substituted from the process environment
 * and the project's env file, short and long syntax of ports, volumes, environment, depends_on
 * and healthchecks. What it cannot follow is listed with why, never dropped silently.
 */
public final class ComposeReader {
  /** What was read, or the problems (file:line:col) that stopped it. */
  public record Read(Optional<ComposeProject> project, Diagnostics diagnostics) {}

  /**
   * What compose does that projects.yml has no word for, by key, with the reason written beside
   * it in the draft. Keys not here and not read are listed as "no equivalent".
   */
  private static final Map<String, String> WHY = Map.ofEntries(
      Map.entry("restart", "reconcile's containers always restart unless stopped"),
      Map.entry("container_name", "reconcile names containers {project}-{container}-{env}-{slot}"),
      Map.entry(
          "networks",
          "a project's containers share one network and reach each other by"
              + " name; another project's container joins it with shared_with"),
      Map.entry("expose", "not needed: containers of a project reach each other on any port"),
      Map.entry("privileged", "reconcile runs no privileged containers"),
      Map.entry("network_mode", "every container is on its project's network"),
      Map.entry("entrypoint", "projects.yml has command only: build the entrypoint into the image"),
      Map.entry("labels", "reconcile writes its own labels"),
      Map.entry("logging", "the engine's default log driver is used; see 'reconcile logs'"),
      Map.entry("profiles", "every declared container runs"),
      Map.entry("extra_hosts", "no equivalent"),
      Map.entry("user", "no equivalent: set USER in the image"),
      Map.entry("working_dir", "no equivalent: set WORKDIR in the image"),
      Map.entry("cap_add", "no equivalent"),
      Map.entry("devices", "no equivalent"),
      Map.entry("secrets", "put secrets in env as ${VAR} (from env_file), never in the image"),
      Map.entry("configs", "no equivalent: build it into the image or mount a volume"));

  /** Images whose published port is not HTTP (a database, a cache, a broker). */
  private static final Pattern NOT_HTTP_IMAGE =
      Pattern.compile("(^|/)(postgres|postgis|mysql|mariadb|redis|valkey|mongo|memcached|rabbitmq|"
          + "elasticsearch|clickhouse|cassandra|nats|kafka|zookeeper)[^/]*(:|@|$)");

  private final Map<String, String> processEnv;

  public ComposeReader(Map<String, String> processEnv) {
    this.processEnv = Map.copyOf(processEnv);
  }

  /**
   * Reads {@code files} in order (each later one overrides the earlier), with the variables of
   * {@code envFile} (compose's {@code --env-file}; by default {@code .env} beside the first file).
   */
  public Read read(List<Path> files, Optional<Path> envFile, Optional<String> name) {
    var folder = AtomicFiles.parentOf(files.getFirst().toAbsolutePath());
    var documents = new ArrayList<SpecDocument>();
    var problems = new ArrayList<Diagnostic>();
    for (var file : files) {
      var loaded = new SpecLoader().load(file, file.toString());
      if (loaded.document().isEmpty() || loaded.diagnostics().hasErrors()) {
        return new Read(Optional.empty(), loaded.diagnostics());
      }
      documents.add(loaded.document().get());
    }
    Map<String, String> fileValues;
    var envPath = envFile.orElse(folder.resolve(".env"));
    try {
      fileValues = EnvFile.read(envPath);
    } catch (IOException e) {
      return failed(SourcePosition.startOf(envPath.toString()), Texts.messageOf(e));
    }
    if (envFile.isPresent() && fileValues.isEmpty() && !envPath.toFile().isFile()) {
      return failed(SourcePosition.startOf(envPath.toString()), "no such env file");
    }
    var lookup = EnvFile.lookup(processEnv, fileValues);
    var merged = JsonNodeFactory.instance.objectNode();
    var places = new LinkedHashMap<String, SourcePosition>();
    for (var document : documents) {
      if (!document.root().isObject()) {
        return failed(document.valuePosition(SpecPath.ROOT), "a compose file is a mapping");
      }
      var services = document.root().path("services");
      if (!services.isMissingNode() && !services.isObject()) {
        return failed(
            document.valuePosition(SpecPath.of("services")), "'services' must be a mapping");
      }
      if (services.isObject()) {
        for (var entry : services.properties()) {
          places.putIfAbsent(
              entry.getKey(), document.keyPosition(SpecPath.of("services", entry.getKey())));
          if (!entry.getValue().isObject()) {
            return failed(
                document.valuePosition(SpecPath.of("services", entry.getKey())),
                "service '" + entry.getKey() + "' must be a mapping");
          }
        }
      }
      merge(merged, normalized((ObjectNode) document.root()));
    }
    var serviceNodes = merged.path("services");
    if (!serviceNodes.isObject() || serviceNodes.isEmpty()) {
      return failed(
          SourcePosition.startOf(files.getFirst().toString()),
          "no services: a compose file declares them under 'services:'");
    }
    var unset = new TreeSet<String>();
    var projectName = name.or(() -> text(merged.path("name"), lookup, unset))
        .orElse(folder.getFileName() == null ? "app" : folder.getFileName().toString());
    var referenced = new TreeSet<String>();
    var services = new ArrayList<Service>();
    var values = new LinkedHashMap<String, String>();
    for (var entry : serviceNodes.properties()) {
      var service = service(
          entry.getKey(),
          (ObjectNode) entry.getValue(),
          lookup,
          unset,
          referenced,
          values,
          folder,
          problems,
          places.getOrDefault(
              entry.getKey(), SourcePosition.startOf(files.getFirst().toString())));
      service.ifPresent(services::add);
    }
    if (!problems.isEmpty()) {
      return new Read(Optional.empty(), Diagnostics.of(problems));
    }
    for (var variable : referenced) {
      lookupInFiles(variable, fileValues).ifPresent(v -> values.putIfAbsent(variable, v));
    }
    var leftOut = new ArrayList<String>();
    merged.properties().forEach(e -> {
      switch (e.getKey()) {
        case "services", "volumes", "name", "version" -> {}
        case "networks" -> {
          if (e.getValue().size() != 1 || !e.getValue().has("default")) {
            leftOut.add("networks: " + WHY.get("networks"));
          }
        }
        default -> {
          if (!e.getKey().startsWith("x-")) {
            leftOut.add(e.getKey() + ": no equivalent in projects.yml");
          }
        }
      }
    });
    if (!unset.isEmpty()) {
      leftOut.add("variables without a value when this was read (taken as empty, as compose "
          + "does): " + String.join(", ", unset));
    }
    var composeProject = composeName(projectName);
    var volumes = new LinkedHashMap<String, String>();
    merged.path("volumes").properties().forEach(e -> {
      var declared = e.getValue();
      var external = declared.path("external");
      var named = text(declared.path("name"), lookup, unset)
          .or(() -> text(external.path("name"), lookup, unset));
      volumes.put(
          e.getKey(),
          named.orElse(external.asBoolean(false) ? e.getKey() : composeProject + "_" + e.getKey()));
    });
    return new Read(
        Optional.of(new ComposeProject(composeProject, services, values, volumes, leftOut)),
        Diagnostics.empty());
  }

  /** Compose's own normalization of a project name: lowercase, [a-z0-9_-]. */
  static String composeName(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "");
  }

  private static Optional<String> lookupInFiles(String name, Map<String, String> fileValues) {
    return Optional.ofNullable(fileValues.get(name));
  }

  private static Read failed(SourcePosition at, String message) {
    return new Read(Optional.empty(), Diagnostics.of(Diagnostic.error(at, "", message)));
  }

  private Optional<Service> service(
      String name,
      ObjectNode node,
      Function<String, Optional<String>> lookup,
      Set<String> unset,
      Set<String> referenced,
      Map<String, String> values,
      Path folder,
      List<Diagnostic> problems,
      SourcePosition at) {
    var leftOut = new ArrayList<String>();
    var image = text(node.path("image"), lookup, unset);
    Optional<String> build = Optional.empty();
    var buildNode = node.path("build");
    if (!buildNode.isMissingNode()) {
      build = buildNode.isObject()
          ? text(buildNode.path("context"), lookup, unset).or(() -> Optional.of("."))
          : text(buildNode, lookup, unset);
    }
    if (image.isEmpty() && build.isEmpty()) {
      problems.add(Diagnostic.error(at, "", "service '" + name + "' has neither image nor build"));
      return Optional.empty();
    }
    Optional<List<String>> command = Optional.empty();
    var commandNode = node.path("command");
    if (commandNode.isTextual()) {
      command = Optional.of(ShellWords.split(resolve(commandNode.asText(), lookup, unset)));
    } else if (commandNode.isArray()) {
      command = Optional.of(strings(commandNode, lookup, unset));
    }
    var environment = new LinkedHashMap<String, String>();
    for (var envFile : list(node.path("env_file"))) {
      var path = envFile.isObject() ? envFile.path("path") : envFile;
      var required = !envFile.isObject() || envFile.path("required").asBoolean(true);
      var file = folder.resolve(resolve(path.asText(), lookup, unset));
      try {
        if (required && !file.toFile().isFile()) {
          problems.add(Diagnostic.error(
              SourcePosition.startOf(file.toString()),
              "",
              "service '" + name + "' reads env_file " + file + ", which does not exist"));
          continue;
        }
        EnvFile.read(file).forEach((key, value) -> {
          environment.put(key, "${" + key + "}");
          referenced.add(key);
          values.put(key, value);
        });
      } catch (IOException e) {
        problems.add(
            Diagnostic.error(SourcePosition.startOf(file.toString()), "", Texts.messageOf(e)));
      }
    }
    node.path("environment").properties().forEach(e -> {
      if (e.getValue().isNull()) {
        // Compose passes the variable on from where it runs; projects.yml says so with ${NAME}.
        environment.put(e.getKey(), "${" + e.getKey() + "}");
        referenced.add(e.getKey());
      } else {
        environment.put(
            e.getKey(), Substitution.rewrite(e.getValue().asText(), lookup, referenced));
      }
    });
    var ports = new ArrayList<Port>();
    for (var port : list(node.path("ports"))) {
      var parsed = port(port, lookup, unset);
      if (parsed.isEmpty()) {
        leftOut.add("ports: " + port + " is not a port projects.yml can carry (a range or UDP)");
      } else {
        ports.add(parsed.get());
      }
    }
    Optional<Healthcheck> healthcheck = healthcheck(node.path("healthcheck"), lookup, unset);
    var dependsOn = new ArrayList<String>();
    var depends = node.path("depends_on");
    if (depends.isArray()) {
      depends.forEach(d -> dependsOn.add(d.asText()));
    } else if (depends.isObject()) {
      depends.properties().forEach(e -> dependsOn.add(e.getKey()));
    }
    var mounts = new ArrayList<Mount>();
    for (var volume : list(node.path("volumes"))) {
      mount(volume, lookup, unset, mounts, leftOut);
    }
    Optional<Double> cpus = Optional.empty();
    Optional<String> memory = Optional.empty();
    var limits = node.path("deploy").path("resources").path("limits");
    var cpusNode = limits.has("cpus") ? limits.path("cpus") : node.path("cpus");
    if (!cpusNode.isMissingNode()) {
      try {
        cpus = Optional.of(Double.parseDouble(resolve(cpusNode.asText(), lookup, unset)));
      } catch (NumberFormatException e) {
        leftOut.add("cpus: '" + cpusNode.asText() + "' is not a number");
      }
    }
    var memoryNode = limits.has("memory") ? limits.path("memory") : node.path("mem_limit");
    if (!memoryNode.isMissingNode()) {
      memory = memory(resolve(memoryNode.asText(), lookup, unset));
      if (memory.isEmpty()) {
        leftOut.add("memory: '" + memoryNode.asText() + "' is not a size projects.yml takes");
      }
    }
    Optional<String> stopGrace = Optional.empty();
    if (node.has("stop_grace_period")) {
      var written = resolve(node.path("stop_grace_period").asText(), lookup, unset);
      stopGrace = grace(written);
      if (stopGrace.isEmpty()) {
        leftOut.add("stop_grace_period: '" + written + "' is not a duration up to 1h");
      }
    }
    node.properties().forEach(e -> {
      switch (e.getKey()) {
        case "image",
            "stop_grace_period",
            "build",
            "command",
            "environment",
            "env_file",
            "ports",
            "healthcheck",
            "depends_on",
            "volumes",
            "cpus",
            "mem_limit" -> {}
        case "deploy" ->
          e.getValue().properties().forEach(d -> {
            if (!d.getKey().equals("resources")) {
              leftOut.add("deploy." + d.getKey() + ": "
                  + (d.getKey().equals("replicas")
                      ? "replicas other than 1 need a swarm host (platform.hosts)"
                      : "no equivalent"));
            } else if (d.getValue().has("reservations")) {
              leftOut.add("deploy.resources.reservations: only limits are carried");
            }
          });
        case "networks" -> {
          var networks = e.getValue();
          var onlyDefault = networks.isArray()
              ? networks.size() == 1 && networks.path(0).asText().equals("default")
              : networks.size() == 1 && networks.has("default");
          if (!onlyDefault) {
            leftOut.add("networks: " + WHY.get("networks"));
          }
        }
        default -> {
          if (!e.getKey().startsWith("x-")) {
            leftOut.add(e.getKey() + ": " + WHY.getOrDefault(e.getKey(), "no equivalent"));
          }
        }
      }
    });
    return Optional.of(new Service(
        name,
        image,
        build,
        command,
        environment,
        ports,
        healthcheck,
        dependsOn,
        mounts,
        cpus,
        memory,
        stopGrace,
        leftOut));
  }

  private static final Pattern GO_DURATION_PART =
      Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|us|µs|ns|h|m|s)");

  /**
   * compose's duration ({@code 1m30s}, {@code 10s}, {@code 500ms}) as projects.yml's whole
   * seconds, rounded up (the engine counts by the second); empty when not one or over an hour.
   */
  static Optional<String> grace(String compose) {
    var text = compose.strip();
    var m = GO_DURATION_PART.matcher(text);
    double seconds = 0;
    int end = 0;
    while (m.find() && m.start() == end) {
      var value = Double.parseDouble(m.group(1));
      seconds += value
          * switch (m.group(2)) {
            case "h" -> 3600;
            case "m" -> 60;
            case "s" -> 1;
            case "ms" -> 1e-3;
            case "us", "µs" -> 1e-6;
            default -> 1e-9;
          };
      end = m.end();
    }
    if (text.isEmpty() || end != text.length() || seconds > 3600) {
      return Optional.empty();
    }
    return Optional.of((long) Math.ceil(seconds) + "s");
  }

  /** Whether a port of this image is probably not HTTP (a database's, a cache's). */
  static boolean notHttp(Optional<String> image, int port) {
    return Set.of(5432, 3306, 6379, 27017, 11211, 5672, 9092, 2181, 4222, 9042).contains(port)
        || image.filter(i -> NOT_HTTP_IMAGE.matcher(i).find()).isPresent();
  }

  private static Optional<Healthcheck> healthcheck(
      JsonNode node, Function<String, Optional<String>> lookup, Set<String> unset) {
    if (!node.isObject() || node.path("disable").asBoolean(false)) {
      return Optional.empty();
    }
    var test = node.path("test");
    List<String> argv;
    if (test.isTextual()) {
      argv = List.of("sh", "-c", resolve(test.asText(), lookup, unset));
    } else if (test.isArray() && !test.isEmpty()) {
      var words = strings(test, lookup, unset);
      argv = switch (words.getFirst()) {
        case "NONE" -> List.of();
        case "CMD" -> words.subList(1, words.size());
        case "CMD-SHELL" -> List.of("sh", "-c", String.join(" ", words.subList(1, words.size())));
        default -> words;
      };
    } else {
      return Optional.empty();
    }
    if (argv.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Healthcheck(argv, text(node.path("interval"), lookup, unset)));
  }

  private static final Pattern SHORT_PORT =
      Pattern.compile("^(?:(?:\\[?([0-9a-fA-F.:]+?)\\]?:)?([0-9]+)?:)?([0-9]+)(/tcp)?$");

  private static Optional<Port> port(
      JsonNode node, Function<String, Optional<String>> lookup, Set<String> unset) {
    if (node.isObject()) {
      var target = node.path("target").asInt(0);
      if (target <= 0 || node.path("protocol").asText("tcp").equals("udp")) {
        return Optional.empty();
      }
      var published = resolve(node.path("published").asText(""), lookup, unset);
      var ip = text(node.path("host_ip"), lookup, unset);
      return Optional.of(new Port(
          ip,
          published.matches("[0-9]{1,5}")
              ? OptionalInt.of(Integer.parseInt(published))
              : OptionalInt.empty(),
          target));
    }
    var m = SHORT_PORT.matcher(resolve(node.asText(), lookup, unset));
    if (!m.matches()) {
      return Optional.empty();
    }
    var target = Integer.parseInt(m.group(3).length() > 5 ? "0" : m.group(3));
    if (target <= 0 || target > 65535) {
      return Optional.empty();
    }
    var published = m.group(2) == null || m.group(2).length() > 5
        ? OptionalInt.empty()
        : OptionalInt.of(Integer.parseInt(m.group(2)));
    return Optional.of(new Port(Optional.ofNullable(m.group(1)), published, target));
  }

  private static void mount(
      JsonNode node,
      Function<String, Optional<String>> lookup,
      Set<String> unset,
      List<Mount> mounts,
      List<String> leftOut) {
    String source;
    String target;
    boolean readOnly;
    if (node.isObject()) {
      var type = node.path("type").asText("volume");
      source = resolve(node.path("source").asText(""), lookup, unset);
      target = resolve(node.path("target").asText(""), lookup, unset);
      readOnly = node.path("read_only").asBoolean(false);
      if (!type.equals("volume")) {
        leftOut.add("volumes: " + type + " mount " + (source.isEmpty() ? "" : source + " -> ")
            + target + " (" + reasonFor(type) + ")");
        return;
      }
    } else {
      var parts = resolve(node.asText(), lookup, unset).split(":", -1);
      if (parts.length == 1) {
        source = "";
        target = parts[0];
        readOnly = false;
      } else {
        source = parts[0];
        target = parts[1];
        readOnly = parts.length > 2 && List.of(parts[2].split(",")).contains("ro");
      }
    }
    if (source.isEmpty()) {
      leftOut.add("volumes: anonymous volume at " + target
          + " (its data would not outlive the container: declare a named volume to keep it)");
    } else if (source.startsWith("/") || source.startsWith(".") || source.startsWith("~")) {
      leftOut.add(
          "volumes: bind mount " + source + " -> " + target + " (" + reasonFor("bind") + ")");
    } else if (!target.startsWith("/")) {
      leftOut.add("volumes: " + source + " -> " + target + " (not an absolute path)");
    } else {
      mounts.add(new Mount(source, target, readOnly));
    }
  }

  private static String reasonFor(String type) {
    return switch (type) {
      case "bind" ->
        "a host folder: reconcile mounts only named volumes, which it backs up and"
            + " restores; copy the files into a volume or the image";
      case "tmpfs" -> "no equivalent";
      default -> "only named volumes are carried";
    };
  }

  private static final Pattern MEMORY = Pattern.compile("^([0-9]{1,12})\\s*([bkmg])?b?$");

  /** Compose's sizes ({@code 512M}, {@code 2g}, {@code 1gb}, bytes) as projects.yml's. */
  static Optional<String> memory(String value) {
    var m = MEMORY.matcher(value.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      return Optional.empty();
    }
    var unit = m.group(2) == null || m.group(2).equals("b") ? "" : m.group(2);
    return Optional.of(m.group(1) + unit);
  }

  private static String resolve(
      String value, Function<String, Optional<String>> lookup, Set<String> unset) {
    return Substitution.resolve(value, lookup, unset);
  }

  private static Optional<String> text(
      JsonNode node, Function<String, Optional<String>> lookup, Set<String> unset) {
    return node.isValueNode() && !node.isNull()
        ? Optional.of(resolve(node.asText(), lookup, unset))
        : Optional.empty();
  }

  private static List<String> strings(
      JsonNode node, Function<String, Optional<String>> lookup, Set<String> unset) {
    var out = new ArrayList<String>();
    node.forEach(n -> out.add(resolve(n.asText(), lookup, unset)));
    return out;
  }

  private static List<JsonNode> list(JsonNode node) {
    var out = new ArrayList<JsonNode>();
    if (node.isArray()) {
      node.forEach(out::add);
    } else if (node.isValueNode() && !node.isNull()) {
      out.add(node);
    }
    return out;
  }

  /**
   * A copy with every service's list forms made mappings where compose merges by key: {@code
   * environment: [A=1]} as {@code {A: "1"}}.
   */
  private static ObjectNode normalized(ObjectNode root) {
    var copy = root.deepCopy();
    copy.path("services").properties().forEach(e -> {
      if (e.getValue() instanceof ObjectNode service
          && service.path("environment") instanceof ArrayNode list) {
        var map = JsonNodeFactory.instance.objectNode();
        list.forEach(item -> {
          var text = item.asText();
          int eq = text.indexOf('=');
          if (eq < 0) {
            map.putNull(text);
          } else {
            map.put(text.substring(0, eq), text.substring(eq + 1));
          }
        });
        service.set("environment", map);
      }
    });
    return copy;
  }

  /** Compose's override: mappings merge, these lists add up, anything else is replaced. */
  private static void merge(ObjectNode into, ObjectNode from) {
    from.properties().forEach(e -> {
      var key = e.getKey();
      var existing = into.get(key);
      if (existing instanceof ObjectNode a && e.getValue() instanceof ObjectNode b) {
        merge(a, b);
      } else if (existing instanceof ArrayNode a
          && e.getValue() instanceof ArrayNode b
          && Set.of("ports", "expose", "volumes", "env_file", "dns", "extra_hosts")
              .contains(key)) {
        b.forEach(a::add);
      } else {
        into.set(key, e.getValue().deepCopy());
      }
    });
  }
}
