package dev.reconcile.util;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Immutable maps that keep the order of the file, so output follows what the user wrote. */
public final class OrderedMaps {
  private OrderedMaps() {}

  public static <K, V> Map<K, V> copyOf(Map<K, V> map) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }
}
