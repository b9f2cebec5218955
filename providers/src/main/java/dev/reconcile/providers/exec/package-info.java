/**
 * Commands as data at the OS edge: builders return a {@link
 * dev.reconcile.providers.exec.CommandLine}, and one {@link
 * dev.reconcile.providers.exec.CommandRunner} runs them. Builders get exact-string unit tests;
 * runners get integration tests against the real programs.
 */
@NullMarked
package dev.reconcile.providers.exec;

import org.jspecify.annotations.NullMarked;
