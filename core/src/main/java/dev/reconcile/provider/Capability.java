package dev.reconcile.provider;

/**
 * Something a provider can do beyond observing and applying the kinds it owns: run container
 * slots ({@link ContainerRuntime}), swarm services ({@link ServiceRuntime}), control a front
 * door's sites ({@link SiteControl}), archive volumes ({@link VolumeArchives}). A provider
 * declares the ones it offers in {@link Provider#capabilities()}, each an object of its own; the
 * engine finds one with {@link Capabilities#find}. Every implementation of a capability passes
 * that capability's contract suite (core's test-jar and the providers' tests).
 */
public interface Capability {}
