package dev.reconcile.provider;

import dev.reconcile.model.HostSpec;
import dev.reconcile.model.NetworkPool;
import java.util.Optional;

/** Where a provider looks. */
public sealed interface ObserveTarget permits ObserveTarget.DockerHost, FrontDoor {
  /** A short description for messages: {@code host local}, {@code nginx sites in /etc/nginx/conf.d}. */
  String describe();

  /**
   * A Docker host.
   *
   * @param frontDoorPort the loopback port the managed nginx listens on, when it runs on this
   *     host; an unmanaged container publishing it is a conflict
   * @param owner the id of the state directory whose resources to observe: containers of another
   *     owner (another projects.yml on the same engine) count as not managed
   * @param pool where new networks of project environments take their subnets from
   */
  record DockerHost(HostSpec host, Optional<Integer> frontDoorPort, String owner, NetworkPool pool)
      implements ObserveTarget {
    public DockerHost(HostSpec host, Optional<Integer> frontDoorPort, String owner) {
      this(host, frontDoorPort, owner, NetworkPool.DEFAULT);
    }

    @Override
    public String describe() {
      return "host " + host.name();
    }
  }
}
