package dev.reconcile.providers.nginx;

import dev.reconcile.host.Host;
import dev.reconcile.provider.FrontDoor;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The CA's HTTP-01 answers as nginx configuration (see {@link FrontDoor#challengeFile}): written,
 * then nginx reloaded, so the front door answers them; emptied once the order ends.
 */
public final class Challenges {
  /** Tokens and answers are base64url (RFC 8555 8.1, 8.3); anything else never reaches nginx. */
  private static final Pattern SAFE =
      Pattern.compile("[A-Za-z0-9_-]{1,512}(\\.[A-Za-z0-9_-]{1,512})?");

  private final NginxSiteControl sites = new NginxSiteControl();

  /** The snippet's text for these answers, token -> key authorization. */
  static String render(Map<String, String> answers) {
    var out = new StringBuilder(FrontDoor.NO_CHALLENGES);
    answers.forEach((token, answer) -> {
      if (!SAFE.matcher(token).matches() || !SAFE.matcher(answer).matches()) {
        throw new IllegalArgumentException(
            "the CA sent a challenge token or answer that is not base64url");
      }
      out.append("location = ")
          .append(FrontDoor.CHALLENGE_PATH)
          .append(token)
          .append(" {\n")
          .append("    default_type text/plain;\n")
          .append("    return 200 \"")
          .append(answer)
          .append("\";\n")
          .append("}\n");
    });
    return out.toString();
  }

  /** Makes the snippet exist (empty of answers): every plain-HTTP server of a TLS site includes it. */
  static void ensure(Host host, Path file) throws IOException {
    if (host.read(file).isEmpty()) {
      host.createDirectories(AtomicFiles.parentOf(file));
      host.write(file, FrontDoor.NO_CHALLENGES);
    }
  }

  /** Serves these answers (none: stops serving any): writes the snippet and reloads nginx. */
  public void publish(FrontDoor door, Map<String, String> answers) throws ProviderException {
    try {
      door.host().createDirectories(AtomicFiles.parentOf(door.challengeFile()));
      door.host().write(door.challengeFile(), render(answers));
    } catch (IOException e) {
      throw new ProviderException.Terminal(
          door.describe(),
          "cannot write " + door.challengeFile() + ": " + e.getMessage(),
          "check free space and permissions",
          e);
    }
    sites.reload(door);
  }
}
