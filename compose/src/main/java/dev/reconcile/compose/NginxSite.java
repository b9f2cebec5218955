package dev.reconcile.compose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What an existing nginx site says about the apps behind it: its domains, and which local port
 * each location passes to, with the settings projects.yml has words for (body size, read
 * timeout, buffering). Read from the site's own directives; anything else stays nginx's.
 *
 * @param domains the {@code server_name}s of the servers that pass requests on ({@code _} and
 *     wildcards left out)
 * @param leftOut what the site does that the draft does not carry, each with why
 */
public record NginxSite(List<String> domains, List<Location> locations, List<String> leftOut) {

  /**
   * A prefix location that passes requests to a port on this machine.
   *
   * @param maxBody {@code client_max_body_size}, as nginx wrote it, here or on its server
   * @param timeout {@code proxy_read_timeout}, as written
   */
  public record Location(
      String path,
      int port,
      Optional<String> maxBody,
      Optional<String> timeout,
      boolean buffering) {}

  /** The site could not be read: where and why. */
  public static final class Unreadable extends Exception {
    private static final long serialVersionUID = 1L;

    Unreadable(String message) {
      super(message);
    }
  }

  private record Directive(String name, List<String> args, List<Directive> block, int line) {}

  private static final Pattern LOCAL_PROXY = Pattern.compile(
      "^https?://(?:127\\.0\\.0\\.1|localhost|\\[::1\\]|0\\.0\\.0\\.0):([0-9]{1,5})(/.*)?$");
  private static final Pattern UPSTREAM_PROXY =
      Pattern.compile("^https?://([A-Za-z0-9_.-]+)(/.*)?$");
  private static final Pattern LOCAL_SERVER =
      Pattern.compile("^(?:127\\.0\\.0\\.1|localhost|\\[::1\\]):([0-9]{1,5})$");
  private static final int MOST_TOKENS = 200_000;

  /** Reads a site file's text; {@code shownAs} names it in errors. */
  public static NginxSite parse(String text, String shownAs) throws Unreadable {
    var directives = directives(new Tokens(text, shownAs), false);
    var all = new ArrayList<Directive>();
    flatten(directives, all);
    var upstreams = new LinkedHashMap<String, Integer>();
    for (var d : all) {
      if (d.name().equals("upstream") && d.args().size() == 1) {
        for (var server : d.block()) {
          if (server.name().equals("server") && !server.args().isEmpty()) {
            var m = LOCAL_SERVER.matcher(server.args().getFirst());
            if (m.matches()) {
              upstreams.putIfAbsent(d.args().getFirst(), Integer.parseInt(m.group(1)));
            }
          }
        }
      }
    }
    var domains = new LinkedHashSet<String>();
    var locations = new ArrayList<Location>();
    var leftOut = new ArrayList<String>();
    for (var server : all) {
      if (!server.name().equals("server") || server.block().isEmpty()) {
        continue;
      }
      var serverBody = value(server.block(), "client_max_body_size");
      var serverTimeout = value(server.block(), "proxy_read_timeout");
      var found = new ArrayList<Location>();
      for (var location : server.block()) {
        if (!location.name().equals("location") || location.args().isEmpty()) {
          continue;
        }
        var args = location.args();
        var modifier = args.size() > 1 ? args.getFirst() : "";
        var path = args.getLast();
        var proxy = value(location.block(), "proxy_pass");
        if (proxy.isEmpty()) {
          leftOut.add("location " + String.join(" ", args) + " (line " + location.line()
              + "): passes nothing to an app; an nginx_snippet can keep it");
          continue;
        }
        var port = portOf(proxy.get(), upstreams);
        if (!modifier.isEmpty() && !modifier.equals("^~") || !path.startsWith("/")) {
          leftOut.add("location " + String.join(" ", args) + " (line " + location.line()
              + "): only prefix locations are carried");
          continue;
        }
        if (port.isEmpty()) {
          leftOut.add("location " + path + " (line " + location.line() + "): proxy_pass "
              + proxy.get() + " is not a port on this machine");
          continue;
        }
        found.add(new Location(
            path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path,
            port.getAsInt(),
            value(location.block(), "client_max_body_size").or(() -> serverBody),
            value(location.block(), "proxy_read_timeout").or(() -> serverTimeout),
            !value(location.block(), "proxy_buffering").orElse("on").equals("off")));
      }
      if (!found.isEmpty()) {
        if (!locations.isEmpty()) {
          leftOut.add("server (line " + server.line() + "): a second server that passes requests"
              + " on; projects.yml routes all of an environment's domains alike, so its"
              + " locations are merged with the first's: check them");
        }
        locations.addAll(found);
        for (var names : server.block()) {
          if (names.name().equals("server_name")) {
            names.args().stream()
                .filter(
                    n -> !n.equals("_") && !n.contains("*") && !n.startsWith("~") && !n.isEmpty())
                .map(n -> n.toLowerCase(Locale.ROOT))
                .forEach(domains::add);
          }
        }
      }
    }
    return new NginxSite(List.copyOf(domains), locations, leftOut);
  }

  private static OptionalInt portOf(String proxy, Map<String, Integer> upstreams) {
    var local = LOCAL_PROXY.matcher(proxy);
    if (local.matches()) {
      var port = Integer.parseInt(local.group(1));
      return port > 0 && port < 65536 ? OptionalInt.of(port) : OptionalInt.empty();
    }
    var named = UPSTREAM_PROXY.matcher(proxy);
    if (named.matches() && upstreams.containsKey(named.group(1))) {
      return OptionalInt.of(upstreams.get(named.group(1)));
    }
    return OptionalInt.empty();
  }

  private static Optional<String> value(List<Directive> block, String name) {
    return block.stream()
        .filter(d -> d.name().equals(name) && !d.args().isEmpty())
        .map(d -> d.args().getFirst())
        .reduce((first, later) -> later);
  }

  private static void flatten(List<Directive> directives, List<Directive> into) {
    for (var d : directives) {
      into.add(d);
      if (d.name().equals("http")) {
        flatten(d.block(), into);
      }
    }
  }

  private static List<Directive> directives(Tokens tokens, boolean inBlock) throws Unreadable {
    var out = new ArrayList<Directive>();
    var words = new ArrayList<String>();
    int line = tokens.line;
    while (true) {
      var token = tokens.next();
      if (token == null) {
        if (inBlock) {
          throw tokens.error("a '{' is not closed");
        }
        if (!words.isEmpty()) {
          throw tokens.error("'" + words.getFirst() + "' is not ended by ';'");
        }
        return out;
      }
      switch (token) {
        case ";" -> {
          if (words.isEmpty()) {
            throw tokens.error("';' without a directive");
          }
          out.add(new Directive(
              words.getFirst(), List.copyOf(words.subList(1, words.size())), List.of(), line));
          words.clear();
        }
        case "{" -> {
          if (words.isEmpty()) {
            throw tokens.error("'{' without a directive");
          }
          if (tokens.depth++ > 50) {
            throw tokens.error("blocks nested too deep");
          }
          var block = directives(tokens, true);
          tokens.depth--;
          out.add(new Directive(
              words.getFirst(), List.copyOf(words.subList(1, words.size())), block, line));
          words.clear();
        }
        case "}" -> {
          if (!inBlock) {
            throw tokens.error("'}' closes no block");
          }
          if (!words.isEmpty()) {
            throw tokens.error("'" + words.getFirst() + "' is not ended by ';'");
          }
          return out;
        }
        default -> {
          if (words.isEmpty()) {
            line = tokens.line;
          }
          words.add(token.startsWith("\u0000") ? token.substring(1) : token);
        }
      }
    }
  }

  /** nginx's tokens: words, quoted strings (marked with a leading NUL), and { } ;. */
  private static final class Tokens {
    private final String text;
    private final String shownAs;
    private int at;
    private int line = 1;
    private int count;
    private int depth;

    Tokens(String text, String shownAs) {
      this.text = text;
      this.shownAs = shownAs;
    }

    Unreadable error(String message) {
      return new Unreadable(shownAs + ":" + line + ": " + message);
    }

    @Nullable
    String next() throws Unreadable {
      if (++count > MOST_TOKENS) {
        throw error("more than " + MOST_TOKENS + " words: not a site file");
      }
      while (at < text.length()) {
        char c = text.charAt(at);
        if (c == '\n') {
          line++;
          at++;
        } else if (Character.isWhitespace(c)) {
          at++;
        } else if (c == '#') {
          while (at < text.length() && text.charAt(at) != '\n') {
            at++;
          }
        } else {
          break;
        }
      }
      if (at >= text.length()) {
        return null;
      }
      char c = text.charAt(at);
      if (c == '{' || c == '}' || c == ';') {
        at++;
        return String.valueOf(c);
      }
      var word = new StringBuilder();
      if (c == '"' || c == '\'') {
        at++;
        while (at < text.length() && text.charAt(at) != c) {
          char d = text.charAt(at++);
          if (d == '\\' && at < text.length()) {
            d = text.charAt(at++);
          }
          if (d == '\n') {
            line++;
          }
          word.append(d);
        }
        if (at >= text.length()) {
          throw error("a quoted string is not closed");
        }
        at++;
        return "\u0000" + word;
      }
      while (at < text.length()) {
        char d = text.charAt(at);
        if (Character.isWhitespace(d) || d == '{' || d == '}' || d == ';' || d == '#') {
          break;
        }
        // nginx keeps a backslash (regex locations need it) unless it escapes a quote, a
        // backslash, a space or one of { } ;.
        if (d == '\\'
            && at + 1 < text.length()
            && ("\"'\\{};".indexOf(text.charAt(at + 1)) >= 0
                || Character.isWhitespace(text.charAt(at + 1)))) {
          at++;
          d = text.charAt(at);
        }
        word.append(d);
        at++;
      }
      return word.toString();
    }
  }
}
