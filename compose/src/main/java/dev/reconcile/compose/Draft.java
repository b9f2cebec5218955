package dev.reconcile.compose;

import dev.reconcile.compose.ComposeProject.Service;
import dev.reconcile.model.EnvValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A projects.yml draft written from a compose project: the text, the values its {@code ${VAR}}s
 * take (for the env file written beside it), and what it left out.
 *
 * @param envValues what the env file holds: values moved out of the compose file because they
 *     look secret, and those of the env files compose read that the draft refers to
 * @param leftOut how many things compose did that the draft lists as not carried over
 */
public record Draft(
    String text, Map<String, String> envValues, List<String> containers, int leftOut) {

  /**
   * What to write from.
   *
   * @param project the name in projects.yml
   * @param domains environment to domain; empty to take the site's, or a placeholder
   * @param sources how the compose files are named in the draft's comments
   * @param envFile the env file's name, relative to projects.yml
   * @param adopt whether the first environment takes over compose's containers, volumes (their
   *     data in place) and the site file, or the draft only shows how, in comments
   * @param siteAt the site file's absolute path: with {@code adopt}, the system's nginx (which
   *     serves it) becomes the front door and the site file is taken over
   */
  public record Inputs(
      ComposeProject compose,
      Optional<NginxSite> site,
      String project,
      Map<String, String> domains,
      String sources,
      Optional<String> siteShownAs,
      String envFile,
      boolean adopt,
      Optional<String> siteAt) {}

  private static final Pattern PROBE_URL = Pattern.compile(
      "^https?://(?:localhost|127\\.0\\.0\\.1|0\\.0\\.0\\.0)(?::([0-9]{1,5}))?(/[A-Za-z0-9._~/?&=%:@!$'()*+,;-]*)?$");
  private static final Pattern URL_PATH =
      Pattern.compile("^/[A-Za-z0-9._~/-]*(\\?[A-Za-z0-9._~/?&=%:@!$'()*+,;-]*)?$");
  private static final Pattern CREDENTIALS_IN_URL =
      Pattern.compile("^[a-z][a-z0-9+.-]*://[^/@:\\s]*:[^/@\\s]+@");
  private static final Pattern ENV_NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");
  private static final List<String> FRONT_NAMES =
      List.of("frontend", "web", "app", "ui", "www", "site", "nginx", "client");

  /** A name as projects.yml takes it: lowercase letters, digits and '-', at most 40. */
  public static String name(String raw) {
    var name = raw.toLowerCase(Locale.ROOT)
        .replaceAll("[^a-z0-9-]+", "-")
        .replaceAll("-{2,}", "-")
        .replaceAll("^-+|-+$", "");
    if (name.length() > 40) {
      name = name.substring(0, 40).replaceAll("-+$", "");
    }
    return name.isEmpty() ? "app" : name;
  }

  /** Writes the draft. */
  public static Draft write(Inputs in) {
    return new Writer(in).write();
  }

  /** The decisions for one container, made before anything is written. */
  private record Container(
      Service service,
      String name,
      Optional<Integer> port,
      List<String> locations,
      boolean locationsGuessed,
      Optional<NginxSite.Location> settings,
      List<String> leftOut) {}

  private static final class Writer {
    private final Inputs in;
    private final List<String> out = new ArrayList<>();
    private final Map<String, String> envValues = new TreeMap<>();
    private final Map<String, String> names = new LinkedHashMap<>();
    private final Map<String, String> volumeNames = new LinkedHashMap<>();
    private final List<String> siteLeftOut = new ArrayList<>();
    private int leftOut;

    Writer(Inputs in) {
      this.in = in;
    }

    Draft write() {
      var used = new HashSet<String>();
      for (var service : in.compose().services()) {
        var name = name(service.name());
        for (int i = 2; !used.add(name); i++) {
          name = name(service.name()) + "-" + i;
        }
        names.put(service.name(), name);
      }
      var containers = decide();
      header();
      out.add("version: 1");
      out.add("");
      out.add("platform:");
      if (in.adopt() && in.siteAt().isPresent()) {
        var dir = Path.of(in.siteAt().get()).getParent();
        out.add("  # The front door: this machine's nginx, which serves the site today. reconcile");
        out.add("  # installs its site beside it and takes the old file over at the first apply.");
        out.add("  # test_command and reload_command are nginx -t and nginx -s reload unless set");
        out.add("  # (docs/spec.md, platform.nginx).");
        out.add("  nginx: { mode: system, conf_dir: " + q(String.valueOf(dir)) + " }");
      } else {
        out.add(
            "  # The front door: the nginx reconcile runs itself, on loopback while you try it;");
        out.add(
            "  # \"0.0.0.0:80\" to serve the world, or mode: system to use this machine's nginx");
        out.add("  # (docs/spec.md, platform.nginx).");
        out.add("  nginx: { listen: \"127.0.0.1:8080\" }");
      }
      out.add("");
      out.add("projects:");
      out.add("  " + in.project() + ":");
      domains();
      var body = new ArrayList<String>();
      var saved = new ArrayList<>(out);
      out.clear();
      out.add("    containers:");
      for (var c : containers) {
        container(c);
      }
      adopt(containers);
      backup(containers);
      body.addAll(out);
      out.clear();
      out.addAll(saved);
      if (!envValues.isEmpty() || !in.compose().values().isEmpty()) {
        out.add(
            "    # The values of the ${VAR}s below (moved out of the compose file, or taken from");
        out.add("    # the env files compose read). Keep it out of git.");
        out.add("    env_file: " + q(in.envFile()));
      }
      out.addAll(body);
      out.add("");
      in.compose().values().forEach(envValues::putIfAbsent);
      return new Draft(
          String.join("\n", out),
          envValues,
          containers.stream().map(Container::name).toList(),
          leftOut);
    }

    private void header() {
      out.add("# projects.yml, drafted by 'reconcile import compose' from " + in.sources()
          + " (compose project " + in.compose().name() + ")"
          + in.siteShownAs().map(s -> " and the nginx site " + s).orElse("") + ".");
      out.add("# Read it through: each '# not carried over' line is something compose (or the");
      out.add("# site) did that this file does not, and why. Every key is in docs/spec.md.");
      out.add(
          "# Next: 'reconcile validate', then 'reconcile plan' (what the first apply would do).");
      for (var note : in.compose().leftOut()) {
        notCarried("", note);
      }
      in.site().ifPresent(site -> site.leftOut().forEach(note -> notCarried("", note)));
      siteLeftOut.forEach(note -> notCarried("", note));
    }

    private void domains() {
      out.add("    domains:");
      if (!in.domains().isEmpty()) {
        in.domains().forEach((env, domain) -> out.add("      " + env + ": " + q(domain)));
        return;
      }
      var fromSite = in.site().map(NginxSite::domains).orElse(List.of());
      if (!fromSite.isEmpty()) {
        out.add("      production: " + list(fromSite) + "   # server_name of the site");
        return;
      }
      out.add("      production: " + q(in.project() + ".example.com")
          + "   # a placeholder: your domain (import compose --domain production=...)");
    }

    private List<Container> decide() {
      var site = in.site();
      var result = new ArrayList<Container>();
      var routed = new ArrayList<Integer>();
      for (var service : in.compose().services()) {
        var notes = new ArrayList<String>(service.leftOut());
        Optional<Integer> port = Optional.empty();
        var locations = new ArrayList<String>();
        Optional<NginxSite.Location> settings = Optional.empty();
        if (site.isPresent()) {
          for (var p : service.ports()) {
            if (p.published().isEmpty()) {
              continue;
            }
            var mine = site.get().locations().stream()
                .filter(l -> l.port() == p.published().getAsInt())
                .toList();
            if (!mine.isEmpty() && port.isEmpty()) {
              port = Optional.of(p.target());
              mine.forEach(l -> locations.add(l.path()));
              settings = Optional.of(mine.getFirst());
            } else if (!mine.isEmpty()) {
              notes.add("ports: " + p.target() + " is routed by the site too; a container has"
                  + " one routed port");
            }
          }
        } else {
          for (var p : service.ports()) {
            if (port.isEmpty() && !ComposeReader.notHttp(service.image(), p.target())) {
              port = Optional.of(p.target());
            }
          }
        }
        for (var p : service.ports()) {
          if (port.isEmpty() || port.get() != p.target()) {
            notes.add("ports: "
                + p.published().stream().mapToObj(i -> i + ":").findFirst().orElse("") + p.target()
                + " published (reconcile publishes only what nginx"
                + " routes, on loopback; other containers of the project reach it by name)");
          }
        }
        if (port.isPresent()) {
          routed.add(result.size());
        }
        result.add(new Container(
            service,
            names.getOrDefault(service.name(), name(service.name())),
            port,
            locations,
            false,
            settings,
            notes));
      }
      site.ifPresent(found -> found.locations().stream()
          .filter(l -> in.compose().services().stream()
              .flatMap(svc -> svc.ports().stream())
              .noneMatch(p -> p.published().isPresent() && p.published().getAsInt() == l.port()))
          .forEach(l -> siteLeftOut.add("location " + l.path() + ": passes to port " + l.port()
              + ", which no service publishes")));
      // One container serves "/": the site's choice, else a front end's name, else the first.
      if (site.isEmpty() && routed.size() > 1) {
        int front = routed.stream()
            .filter(i -> FRONT_NAMES.contains(result.get(i).name()))
            .findFirst()
            .orElse(routed.getFirst());
        for (int i : routed) {
          if (i != front) {
            var c = result.get(i);
            result.set(
                i,
                new Container(
                    c.service(),
                    c.name(),
                    c.port(),
                    List.of("/" + c.name()),
                    true,
                    c.settings(),
                    c.leftOut()));
          }
        }
      }
      return result;
    }

    private void container(Container c) {
      var s = c.service();
      out.add("      " + c.name() + ":");
      if (!c.name().equals(s.name())) {
        out.add("        # compose's service " + s.name() + ": other containers reach it as "
            + c.name() + " here; change the address where they name it");
      }
      if (s.image().isPresent()) {
        out.add("        image: " + q(s.image().get()));
      } else {
        var image = in.compose().name() + "-" + s.name() + ":latest";
        out.add("        image: " + q(image) + "   # compose builds it from "
            + s.build().orElse(".") + ": docker build -t " + image + " "
            + s.build().orElse("."));
      }
      s.command().ifPresent(cmd -> out.add("        command: " + list(cmd)));
      if (c.port().isPresent()) {
        out.add("        port: " + c.port().get() + "   # nginx routes "
            + (c.locations().isEmpty() || c.locations().contains("/")
                ? "\"/\""
                : String.join(", ", c.locations()))
            + " here");
        var paths = c.locations().stream().filter(p -> !p.equals("/")).toList();
        if (!paths.isEmpty() && !c.locations().contains("/")) {
          out.add("        api_locations: " + list(paths)
              + (c.locationsGuessed()
                  ? "   # a guess: compose does not say (--nginx-site reads a site's locations)"
                  : ""));
        }
        c.settings().ifPresent(this::routeSettings);
      }
      if (!s.environment().isEmpty()) {
        out.add("        env:");
        s.environment().forEach((key, value) -> {
          if (ENV_NAME.matcher(key).matches()) {
            out.add("          " + key + ": " + env(key, value));
          } else {
            c.leftOut()
                .add("environment: " + key + " (projects.yml takes names of letters,"
                    + " digits and '_')");
          }
        });
      }
      if (!s.volumes().isEmpty()) {
        out.add("        volumes:");
        for (var m : s.volumes()) {
          var volume = volumeName(m.volume());
          out.add("          " + volume + ": " + q(m.target()) + "   # compose's volume "
              + m.volume() + " (Docker volume " + in.compose().name() + "_" + m.volume() + ")"
              + (m.readOnly() ? "; mounted read-only there, read-write here" : ""));
        }
        if (c.port().isPresent()) {
          out.add("        update: recreate   # two slots would write its volumes at once;"
              + " blue-green if the app allows it");
        }
      }
      s.healthcheck().ifPresent(h -> health(c, h));
      var depends =
          s.dependsOn().stream().filter(names::containsKey).map(names::get).toList();
      if (!depends.isEmpty()) {
        out.add("        depends_on: " + list(depends));
      }
      if (s.cpus().isPresent() || s.memory().isPresent()) {
        var parts = new ArrayList<String>();
        s.cpus()
            .ifPresent(cpus -> parts.add("cpus: "
                + (cpus == Math.rint(cpus)
                    ? String.valueOf(cpus.longValue())
                    : String.valueOf(cpus))));
        s.memory().ifPresent(memory -> parts.add("memory: " + q(memory)));
        out.add("        resources: { " + String.join(", ", parts) + " }");
      }
      s.stopGrace()
          .ifPresent(
              grace -> out.add("        stop_grace: " + q(grace) + "   # stop_grace_period"));
      for (var note : c.leftOut()) {
        notCarried("        ", note);
      }
    }

    private void routeSettings(NginxSite.Location location) {
      location.maxBody().ifPresent(size -> {
        var parsed = ComposeReader.memory(size);
        if (parsed.isPresent()) {
          out.add("        max_body: " + q(parsed.get()) + "   # client_max_body_size of the site");
        }
      });
      location
          .timeout()
          .flatMap(Draft::duration)
          .ifPresent(
              d -> out.add("        timeout: " + q(d) + "   # proxy_read_timeout of the site"));
      if (!location.buffering()) {
        out.add("        buffering: false   # proxy_buffering off in the site");
      }
    }

    private void health(Container c, ComposeProject.Healthcheck h) {
      var from = "   # compose's healthcheck"
          + h.interval()
              .map(i -> " ran every " + i + "; this one every 1s while a slot starts")
              .orElse("");
      var argv = h.test();
      // A shell line that only fetches a URL reads as the words it runs.
      var words = argv.size() == 3 && argv.get(0).equals("sh") && argv.get(1).equals("-c")
          ? ShellWords.split(argv.get(2))
          : argv;
      if (c.port().isPresent()
          && !words.isEmpty()
          && List.of("curl", "wget").contains(words.getFirst())) {
        for (var arg : words) {
          var m = PROBE_URL.matcher(arg);
          if (m.matches()) {
            var port = m.group(1) == null ? 80 : Integer.parseInt(m.group(1));
            var path = m.group(2) == null ? "/" : m.group(2);
            if (port == c.port().get() && URL_PATH.matcher(path).matches()) {
              out.add("        health: { path: " + q(path) + " }" + from);
              return;
            }
          }
        }
      }
      out.add("        health: { command: " + list(argv) + " }" + from);
    }

    /**
     * The first environment takes over compose's containers, volumes and site file, or is shown
     * how to.
     */
    private void adopt(List<Container> containers) {
      var volumes = new LinkedHashMap<String, String>();
      containers.forEach(c -> c.service()
          .volumes()
          .forEach(m ->
              volumes.putIfAbsent(volumeName(m.volume()), in.compose().dockerVolume(m.volume()))));
      var environment = in.domains().isEmpty()
          ? "production"
          : in.domains().keySet().iterator().next();
      var mark = in.adopt() ? "" : "# ";
      out.add("    # " + (in.adopt() ? "The first apply takes over" : "To take over")
          + " compose's containers" + (volumes.isEmpty() ? "" : " and the data of its volumes")
          + (in.adopt() ? ":" : ", uncomment (or import with --adopt):"));
      out.add("    # reconcile's containers start beside them, the front door switches to them,");
      out.add(
          "    # then compose's are stopped and kept ('reconcile adopt --undo' starts them again).");
      if (!volumes.isEmpty()) {
        out.add(
            "    # Volumes are used in place (nothing is copied); a container of compose writing");
        out.add("    # one stops just before the volume is made on its data.");
      }
      if (in.siteAt().isEmpty()) {
        out.add("    # Make sure the front door above is the one your users reach (import with");
        out.add("    # --nginx-site FILE to take over the site that serves them now).");
      }
      out.add("    " + mark + "environments:");
      out.add("    " + mark + "  " + environment + ":");
      out.add("    " + mark + "    adopt:");
      out.add("    " + mark + "      compose: " + q(in.compose().name()));
      if (!volumes.isEmpty()) {
        out.add("    " + mark + "      volumes:");
        volumes.forEach(
            (volume, docker) -> out.add("    " + mark + "        " + volume + ": " + q(docker)));
      }
      if (in.adopt() && in.siteAt().isPresent()) {
        out.add("    " + mark + "      site: " + q(in.siteAt().get())
            + "   # moved aside at the switch, a copy kept");
      }
    }

    private void backup(List<Container> containers) {
      var volumes = new ArrayList<String>();
      var databases = new ArrayList<String>();
      for (var c : containers) {
        c.service().volumes().forEach(m -> {
          var name = volumeName(m.volume());
          if (!volumes.contains(name)) {
            volumes.add(name);
          }
        });
        var image = c.service().image().orElse("");
        if (image.matches("(.*/)?(postgres|postgis)[^/]*")) {
          var env = c.service().environment();
          var user = literal(env.get("POSTGRES_USER")).orElse("postgres");
          var database = literal(env.get("POSTGRES_DB")).orElse(user);
          databases.add("        " + c.name() + ": { engine: postgres, container: " + c.name()
              + ", database: " + q(database) + ", user: " + q(user) + " }");
        }
      }
      if (volumes.isEmpty() && databases.isEmpty()) {
        return;
      }
      out.add(
          "    # Taken before every apply that changes something; 'reconcile backup' for more.");
      out.add("    backup:");
      if (!volumes.isEmpty()) {
        out.add("      volumes: " + list(volumes));
      }
      if (!databases.isEmpty()) {
        out.add("      databases:");
        out.addAll(databases);
      }
      out.add("      keep: 10");
    }

    /**
     * What a value in projects.yml's syntax is at import: a literal as written, or one {@code
     * ${NAME}}'s value from the env files; empty otherwise.
     */
    private Optional<String> literal(@Nullable String value) {
      if (value == null) {
        return Optional.empty();
      }
      var whole = Pattern.compile("^\\$\\{([A-Za-z_][A-Za-z0-9_]*)\\}$").matcher(value);
      if (whole.matches()) {
        var name = whole.group(1);
        return Optional.ofNullable(
            envValues.getOrDefault(name, in.compose().values().get(name)));
      }
      var escaped = value.replace("$$", "\u0001");
      return Substitution.refersToVariables(escaped) || escaped.isEmpty()
          ? Optional.empty()
          : Optional.of(escaped.replace("\u0001", "$"));
    }

    private String env(String key, String value) {
      var literal = value.replace("$$", "\u0001");
      if (!Substitution.refersToVariables(literal)) {
        var plain = literal.replace("\u0001", "$");
        if (!plain.isEmpty() && looksSecret(key, plain) && !plain.contains("\n")) {
          envValues.put(key, plain);
          return q("${" + key + "}") + "   # a secret: its value is in " + in.envFile();
        }
      }
      return q(value);
    }

    private void notCarried(String indent, String note) {
      leftOut++;
      out.add(indent + "# not carried over: " + note.replaceAll("\\R", " "));
    }

    private String volumeName(String compose) {
      return volumeNames.computeIfAbsent(compose, Draft::name);
    }
  }

  /** Whether a literal value should not be written into projects.yml (kept in git). */
  static boolean looksSecret(String key, String value) {
    if (new EnvValue(value).isSecretUnder(key)) {
      return true;
    }
    if (CREDENTIALS_IN_URL.matcher(value).find()) {
      return true;
    }
    // A long random-looking token: letters, digits and symbols mixed, no spaces.
    if (value.length() >= 24 && !value.contains(" ")) {
      int classes = (value.matches(".*[a-z].*") ? 1 : 0)
          + (value.matches(".*[A-Z].*") ? 1 : 0)
          + (value.matches(".*[0-9].*") ? 1 : 0);
      return classes == 3 && !value.contains("/") && !value.contains(".");
    }
    return false;
  }

  /** nginx's time ({@code 300}, {@code 300s}, {@code 5m}, {@code 1h}) as projects.yml's. */
  static Optional<String> duration(String nginx) {
    var m = Pattern.compile("^([0-9]{1,6})(ms|s|m|h)?$").matcher(nginx.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    long seconds = Long.parseLong(m.group(1))
        * switch (m.group(2) == null ? "s" : m.group(2)) {
          case "m" -> 60;
          case "h" -> 3600;
          case "ms" -> 0;
          default -> 1;
        };
    if (seconds < 1) {
      return Optional.empty();
    }
    return Optional.of(Math.min(seconds, 3600) + "s");
  }

  /** A YAML double-quoted string. */
  static String q(String value) {
    var b = new StringBuilder("\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        default -> {
          if (c < 0x20
              || c == 0x7f
              || c >= 0x80 && c < 0xa0
              || c == '\u2028'
              || c == '\u2029'
              || c == '\ufeff') {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  static String list(List<String> values) {
    return "[" + String.join(", ", values.stream().map(Draft::q).toList()) + "]";
  }
}
