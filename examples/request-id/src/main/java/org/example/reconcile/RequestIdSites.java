package org.example.reconcile;

import dev.reconcile.desired.DesiredSite;
import dev.reconcile.provider.ForwardingSiteControl;
import dev.reconcile.provider.FrontDoor;
import dev.reconcile.provider.SiteControl;
import java.util.Map;

/**
 * nginx's site control, with every server block it renders giving each request nginx's own
 * $request_id (32 hex digits): to the app as X-Request-Id, and back to the client. Everything
 * else (checking with nginx -t, installing atomically, reloading or switching live) is the
 * built-in front door's, through {@link ForwardingSiteControl}.
 */
final class RequestIdSites extends ForwardingSiteControl {
  /**
   * At the server level, beside the built-in proxy_set_header lines (nginx inherits neither
   * into a location that sets its own).
   */
  static final String REQUEST_ID = """
          proxy_set_header X-Request-Id $request_id;
          add_header X-Request-Id $request_id always;
      """;

  RequestIdSites(SiteControl nginx) {
    super(nginx);
  }

  @Override
  public String render(FrontDoor door, DesiredSite site, Map<String, String> upstreams) {
    // rewrite, not a plain replace: the front door's header keeps matching the changed text.
    return rewrite(
        super.render(door, site, upstreams),
        body -> body.replace("server {\n", "server {\n" + REQUEST_ID));
  }
}
