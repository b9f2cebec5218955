package dev.reconcile.providers.docker;

import dev.reconcile.provider.ProviderException;
import java.util.List;
import java.util.Map;

/**
 * Taking over a Docker volume made before reconcile (by compose, by hand): reconcile's volume is
 * made on the same storage, so the data is used in place and nothing is copied, and the old
 * volume stays as it is (its project can start on it again). Refused while a container runs on
 * it: two databases on one folder would ruin it.
 */
final class Adoption {
  private Adoption() {}

  /** Where a volume's data is, as the driver and options a new volume on the same data takes. */
  record Storage(String driver, Map<String, String> options) {
    @Override
    public String toString() {
      return options.containsKey("device")
          ? driver + " " + options.getOrDefault("type", "") + " " + options.get("device")
          : driver;
    }
  }

  /**
   * The storage of the Docker volume {@code from}, checked free to take over for {@code into}.
   *
   * @throws ProviderException.Terminal when it does not exist, a container runs on it, or its
   *     driver keeps its data where another volume cannot be put on it
   */
  static Storage storageOf(DockerHost host, String from, String into) throws ProviderException {
    var found = DockerErrors.find(
        host,
        "looking up volume " + from,
        () -> host.client().inspectVolumeCmd(from).exec());
    if (found.isEmpty()) {
      throw new ProviderException.Terminal(
          host.describe(),
          "volume " + from + ", which " + into + " is to take over, does not exist",
          "'docker volume ls' lists the volumes there; compose names them PROJECT_VOLUME",
          null);
    }
    var running = DockerErrors.call(
        host,
        "listing the containers on volume " + from,
        () -> host.client()
            .listContainersCmd()
            .withVolumeFilter(List.of(from))
            .withStatusFilter(List.of("running", "restarting", "paused"))
            .exec());
    if (!running.isEmpty()) {
      var names = running.stream()
          .map(c -> c.getNames() == null || c.getNames().length == 0
              ? c.getId().substring(0, 12)
              : c.getNames()[0].replaceFirst("^/", ""))
          .sorted()
          .toList();
      throw new ProviderException.Terminal(
          host.describe(),
          "volume " + from + " is in use by " + String.join(", ", names) + "; " + into
              + " would be a second writer of the same data",
          "stop " + (names.size() == 1 ? "it" : "them") + " first (docker stop "
              + String.join(" ", names) + "; it is kept), then apply again",
          null);
    }
    var volume = found.get();
    var driver = volume.getDriver() == null ? "local" : volume.getDriver();
    var options = volume.getOptions() == null ? Map.<String, String>of() : volume.getOptions();
    if (!driver.equals("local")) {
      throw new ProviderException.Terminal(
          host.describe(),
          "volume " + from + " uses the driver " + driver
              + ": only the local driver's volumes can be taken over in place",
          "copy its data into " + into + " instead, or back it up and restore it there",
          null);
    }
    if (!options.isEmpty()) {
      // Already a mount of some storage (a bind, NFS): the same options reach the same data.
      return new Storage(driver, Map.copyOf(options));
    }
    if (volume.getMountpoint() == null || volume.getMountpoint().isBlank()) {
      throw new ProviderException.Terminal(
          host.describe(),
          "volume " + from + " has no folder the engine names",
          "copy its data into " + into + " instead",
          null);
    }
    return new Storage(
        driver, Map.of("type", "none", "o", "bind", "device", volume.getMountpoint()));
  }
}
