package dev.reconcile.cli;

import dev.reconcile.engine.ObservedStateCollector;
import dev.reconcile.provider.Capability;
import dev.reconcile.provider.Provider;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Properties;
import java.util.ServiceConfigurationError;
import java.util.TreeSet;
import picocli.CommandLine.IVersionProvider;

/**
 * The version baked in at build time, the Java it runs on, and the providers found on the class
 * path with what each can do: where a plugin came from is the first question when one misbehaves.
 */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() throws IOException {
    var props = new Properties();
    try (var in = VersionProvider.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        props.load(in);
      }
    }
    var lines = new ArrayList<String>();
    lines.add("reconcile " + props.getProperty("version", "unknown"));
    lines.add("Java " + Runtime.version() + " (" + System.getProperty("java.vendor", "?") + ")");
    lines.add("Providers, in the order their capabilities are found:");
    try {
      for (var provider : ObservedStateCollector.providersFound()) {
        lines.add("  " + provider.name() + " (" + origin(provider) + ")" + capabilities(provider));
      }
    } catch (ServiceConfigurationError e) {
      lines.add("  a provider could not be loaded: " + e.getMessage());
    }
    return lines.toArray(String[]::new);
  }

  private static String origin(Provider provider) {
    if (ObservedStateCollector.builtIn(provider)) {
      return "built in";
    }
    var source = provider.getClass().getProtectionDomain().getCodeSource();
    return "plugin " + provider.getClass().getName()
        + (source == null ? "" : " from " + source.getLocation().getPath());
  }

  /** The capability interfaces each declared capability implements, by simple name. */
  private static String capabilities(Provider provider) {
    var names = new TreeSet<String>();
    for (var capability : provider.capabilities()) {
      for (Class<?> c = capability.getClass(); c != null; c = c.getSuperclass()) {
        for (var type : c.getInterfaces()) {
          if (Capability.class.isAssignableFrom(type) && type != Capability.class) {
            names.add(type.getSimpleName());
          }
        }
      }
    }
    return names.isEmpty() ? "" : ": " + String.join(", ", names);
  }
}
