package dev.reconcile.providers.docker;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.command.ListVolumesResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.core.DockerClientConfig;
import java.util.List;

/**
 * docker-java's JSON mapper, one for the whole process. docker-java gives each client a copy of
 * its own, so every engine of a run built the same (de)serializers again; and a mapper builds each
 * one under a single lock, so the observation's questions, asked at once, waited for each other's
 * answer types to be built (docs/benchmarks.md, latency to first action). {@link #prepare()}
 * builds them ahead, while a run does its other start-up work.
 */
final class DockerJson {
  static final ObjectMapper MAPPER = DockerClientConfig.getDefaultObjectMapper();

  private DockerJson() {}

  /**
   * Builds the readers of what every observation of an engine asks: its containers, networks and
   * volumes, and the inspection of an image. Not the rest (a container's inspection, services,
   * tasks): each is large, and a run that does not ask for it would only have spent the CPU.
   * Safe from any thread at any time.
   */
  static void prepare() {
    try {
      MAPPER.readValue("[]", new TypeReference<List<Container>>() {});
      MAPPER.readValue("[]", new TypeReference<List<Network>>() {});
      MAPPER.readValue("{}", ListVolumesResponse.class);
      MAPPER.readValue("{}", InspectImageResponse.class);
    } catch (Exception e) {
      // Nothing is lost: the first real answer of that type builds it then.
    }
  }
}
