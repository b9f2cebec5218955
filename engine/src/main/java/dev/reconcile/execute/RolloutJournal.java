package dev.reconcile.execute;

import dev.reconcile.history.Snapshot;
import dev.reconcile.observed.ObservedAdoption;
import dev.reconcile.observed.ObservedContainer;
import dev.reconcile.provider.ContainerRuntime.RunningSlot;
import dev.reconcile.provider.ServiceRuntime;
import dev.reconcile.resource.ResourceId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What one environment's rollout did so far, written by each step as it acts: the undo takes back
 * exactly this, newest first in effect, and the snapshot records its release commands.
 */
final class RolloutJournal {
  private final List<RunningSlot> started = new ArrayList<>();
  private final List<ObservedContainer> stopped = new ArrayList<>();
  private final List<ObservedContainer> retired = new ArrayList<>();
  private final List<ObservedContainer> unnamed = new ArrayList<>();
  private final List<ServiceRuntime.Rolled> rolled = new ArrayList<>();
  private final Map<ResourceId, List<String>> serviceAddresses = new HashMap<>();
  private final List<Snapshot.Release> releases = new CopyOnWriteArrayList<>();
  private Optional<String> previousSite = Optional.empty();
  private boolean siteInstalled;
  private Optional<String> newCertificate = Optional.empty();
  private long switchedAt;
  private final List<ObservedAdoption.Legacy> adoptedStopped = new ArrayList<>();
  private final List<String> adoptedToStop = new ArrayList<>();
  private Optional<TakenOver> siteTakenOver = Optional.empty();

  /** A site file from before reconcile, moved aside: put back by the undo. */
  record TakenOver(Path file, String text, Path copy) {}

  /** A container taken over that wrote a volume taken over, stopped: started again by the undo. */
  void adoptedStopped(ObservedAdoption.Legacy legacy) {
    adoptedStopped.add(legacy);
  }

  List<ObservedAdoption.Legacy> adoptedStopped() {
    return Collections.unmodifiableList(adoptedStopped);
  }

  /** The containers taken over still serving: drained, then stopped after the switch. */
  void adoptedToStop(List<String> names) {
    adoptedToStop.clear();
    adoptedToStop.addAll(names);
  }

  List<String> adoptedToStop() {
    return Collections.unmodifiableList(adoptedToStop);
  }

  void siteTakenOver(TakenOver taken) {
    siteTakenOver = Optional.of(taken);
  }

  Optional<TakenOver> siteTakenOver() {
    return siteTakenOver;
  }

  /** A new slot started: removed by the undo. */
  void started(RunningSlot slot) {
    started.add(slot);
  }

  List<RunningSlot> started() {
    return Collections.unmodifiableList(started);
  }

  Optional<RunningSlot> startedFor(ResourceId id) {
    return started.stream().filter(s -> s.id().equals(id)).findFirst();
  }

  /** Whether a started slot serves through nginx: the site must switch to it. */
  boolean startedPublished() {
    return started.stream().anyMatch(s -> s.hostPort().isPresent());
  }

  /** An old slot stopped by {@code update: recreate}: started again by the undo. */
  void stopped(ObservedContainer old) {
    stopped.add(old);
  }

  List<ObservedContainer> stopped() {
    return Collections.unmodifiableList(stopped);
  }

  /** An old slot replaced by a new one: removed once the new one serves, after the drain. */
  void retired(ObservedContainer old) {
    retired.add(old);
  }

  List<ObservedContainer> retired() {
    return Collections.unmodifiableList(retired);
  }

  /** Retired slots that still run (not stopped by recreate): they drain. */
  List<ObservedContainer> draining() {
    return retired.stream().filter(o -> !stopped.contains(o)).toList();
  }

  /** An old slot whose names this rollout took away: given back by the undo. */
  void unnamed(ObservedContainer old) {
    unnamed.add(old);
  }

  List<ObservedContainer> unnamed() {
    return Collections.unmodifiableList(unnamed);
  }

  /** A service created or updated: the undo puts back what it replaced. */
  void rolled(ServiceRuntime.Rolled service) {
    rolled.add(service);
  }

  List<ServiceRuntime.Rolled> rolled() {
    return Collections.unmodifiableList(rolled);
  }

  /** The host ports of a service's healthy tasks, as last seen: its site's upstream. */
  void serviceAddresses(ResourceId service, List<String> addresses) {
    serviceAddresses.put(service, List.copyOf(addresses));
  }

  Optional<List<String>> serviceAddresses(ResourceId service) {
    return Optional.ofNullable(serviceAddresses.get(service));
  }

  Collection<List<String>> allServiceAddresses() {
    return Collections.unmodifiableCollection(serviceAddresses.values());
  }

  /** A release command that ran, for the snapshot. */
  void released(Snapshot.Release release) {
    releases.add(release);
  }

  List<Snapshot.Release> releases() {
    return List.copyOf(releases);
  }

  /** The site's file as it was before this rollout; empty when it was not installed. */
  void previousSite(Optional<String> text) {
    previousSite = text;
  }

  Optional<String> previousSite() {
    return previousSite;
  }

  /**
   * Whether this rollout's site may be installed: from the moment it is queued (another
   * environment's batch may install it), until the switch is known to have been refused.
   */
  void siteInstalled(boolean installed) {
    siteInstalled = installed;
  }

  boolean siteInstalled() {
    return siteInstalled;
  }

  /** The SHA-256 of a certificate this rollout installed: nginx must present it after the reload. */
  void newCertificate(Optional<String> fingerprint) {
    newCertificate = fingerprint;
  }

  Optional<String> newCertificate() {
    return newCertificate;
  }

  /** When the site switch was reloaded (System.nanoTime); 0 before. */
  void switchedAt(long nanos) {
    switchedAt = nanos;
  }

  long switchedAt() {
    return switchedAt;
  }
}
