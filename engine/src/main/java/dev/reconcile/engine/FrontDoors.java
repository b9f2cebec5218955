package dev.reconcile.engine;

import dev.reconcile.model.HostSpec;
import dev.reconcile.model.Platform;
import dev.reconcile.provider.FrontDoor;
import dev.reconcile.provider.ProviderException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The nginx front door of each host: engines of this machine share the local one ({@code
 * platform.nginx}, under the state directory); a server over SSH has its own nginx, run or
 * written to on the server ({@code state_dir}, its {@code nginx} settings).
 */
public final class FrontDoors {
  private final Platform platform;
  private final Layout layout;
  private final Hosts hosts;

  public FrontDoors(Platform platform, Layout layout, Hosts hosts) {
    this.platform = platform;
    this.layout = layout;
    this.hosts = hosts;
  }

  /** The front door that serves the projects of a host. */
  public FrontDoor of(HostSpec host) throws ProviderException {
    return switch (host) {
      case HostSpec.Docker d -> local();
      case HostSpec.Ssh s -> {
        var nginx = s.nginx().orElse(platform.nginx());
        var state = Path.of(s.stateDir());
        // A server's paths are its own: conf_dir is taken as written, not relative to this machine.
        yield new FrontDoor(
            hosts.host(s), nginx, state, Layout.sitesDir(nginx, state, Path.of("")));
      }
    };
  }

  /** This machine's front door. */
  public FrontDoor local() throws ProviderException {
    return layout.frontDoor(hosts.thisMachine(), platform.nginx());
  }

  /** The distinct front doors of these hosts, this machine's first when any host is local. */
  public List<FrontDoor> of(Collection<HostSpec> of) throws ProviderException {
    var doors = new LinkedHashMap<String, FrontDoor>();
    for (var host : of) {
      var door = of(host);
      doors.putIfAbsent(door.host().name(), door);
    }
    return new ArrayList<>(doors.values());
  }

  /** The name of the host whose front door serves a host's projects: its lock and its messages. */
  public static String doorName(HostSpec host) {
    return host instanceof HostSpec.Ssh ? host.name() : Hosts.THIS_MACHINE;
  }
}
