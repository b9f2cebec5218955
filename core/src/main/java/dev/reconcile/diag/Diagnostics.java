package dev.reconcile.diag;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** An immutable, sorted, duplicate-free list of diagnostics. */
public final class Diagnostics implements Iterable<Diagnostic> {
  private static final Diagnostics EMPTY = new Diagnostics(List.of());

  private final List<Diagnostic> items;

  private Diagnostics(List<Diagnostic> items) {
    this.items = items;
  }

  public static Diagnostics empty() {
    return EMPTY;
  }

  public static Diagnostics of(Collection<Diagnostic> items) {
    return new Diagnostics(items.stream().distinct().sorted().toList());
  }

  public static Diagnostics of(Diagnostic... items) {
    return of(List.of(items));
  }

  public Diagnostics plus(Diagnostics other) {
    var all = new ArrayList<>(items);
    all.addAll(other.items);
    return of(all);
  }

  public Diagnostics plus(Stream<Diagnostic> more) {
    return plus(of(more.toList()));
  }

  public boolean hasErrors() {
    return items.stream().anyMatch(Diagnostic::isError);
  }

  public long errorCount() {
    return items.stream().filter(Diagnostic::isError).count();
  }

  public boolean isEmpty() {
    return items.isEmpty();
  }

  public int size() {
    return items.size();
  }

  public List<Diagnostic> list() {
    return items;
  }

  public Stream<Diagnostic> stream() {
    return items.stream();
  }

  @Override
  public Iterator<Diagnostic> iterator() {
    return items.iterator();
  }

  /** Every diagnostic as printed, one after another. */
  @Override
  public String toString() {
    return items.stream().map(Diagnostic::toString).collect(Collectors.joining("\n"));
  }
}
