package dev.reconcile.providers.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.SwarmNode;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where tasks on any node of a swarm are reached, read from the engine's own JSON. */
class SwarmNodesTest {
  /** The client's own mapper: it keeps the fields docker-java does not model, as the engine sent them. */
  private static final ObjectMapper JSON =
      DefaultDockerClientConfig.createDefaultConfigBuilder().build().getObjectMapper();

  private static SwarmNode node(String json) throws Exception {
    return JSON.readValue(json, SwarmNode.class);
  }

  @Test
  void aNodeIsReachedAtTheAddressItAdvertises() throws Exception {
    var nodes = SwarmNodes.of(List.of(
        node("{\"ID\":\"mgr\",\"Status\":{\"State\":\"ready\",\"Addr\":\"10.231.0.2\"},"
            + "\"ManagerStatus\":{\"Leader\":true,\"Addr\":\"10.231.0.2:2377\"}}"),
        node("{\"ID\":\"wrk\",\"Status\":{\"State\":\"ready\",\"Addr\":\"10.231.0.3\"}}")));

    assertThat(nodes.address("mgr")).contains("10.231.0.2");
    assertThat(nodes.address("wrk")).contains("10.231.0.3");
    assertThat(nodes.address("gone")).isEmpty();
    assertThat(nodes.address(null)).isEmpty();
  }

  @Test
  void aManagerReportedAtZeroZeroZeroZero_isReachedAtItsManagerAddress() throws Exception {
    var manager = node(
        "{\"ID\":\"mgr\",\"Status\":{\"Addr\":\"0.0.0.0\"},\"ManagerStatus\":{\"Addr\":\"192.0.2.5:2377\"}}");
    var nowhere = node("{\"ID\":\"w\",\"Status\":{\"Addr\":\"0.0.0.0\"}}");

    assertThat(SwarmNodes.reachedAt(manager)).contains("192.0.2.5");
    assertThat(SwarmNodes.reachedAt(nowhere)).isEmpty();
  }

  @Test
  void aTasksPublishedPort_isReadFromItsPortStatus() throws Exception {
    var task = JSON.readValue(
        "{\"ID\":\"t\",\"NodeID\":\"wrk\",\"Status\":{\"State\":\"running\",\"PortStatus\":{\"Ports\":["
            + "{\"Protocol\":\"tcp\",\"TargetPort\":9090,\"PublishedPort\":30001,\"PublishMode\":\"host\"},"
            + "{\"Protocol\":\"tcp\",\"TargetPort\":8080,\"PublishedPort\":32768,\"PublishMode\":\"host\"}]}}}",
        Task.class);

    assertThat(SwarmServices.publishedPort(task, 8080)).hasValue(32768);
    assertThat(SwarmServices.publishedPort(task, 7000)).isEmpty();
  }

  @Test
  void aTaskNotYetPublished_hasNoPort() throws Exception {
    var starting = JSON.readValue(
        "{\"ID\":\"t\",\"Status\":{\"State\":\"starting\",\"PortStatus\":{}}}", Task.class);
    var zero = JSON.readValue(
        "{\"ID\":\"t\",\"Status\":{\"PortStatus\":{\"Ports\":[{\"TargetPort\":8080,\"PublishedPort\":0}]}}}",
        Task.class);

    assertThat(SwarmServices.publishedPort(starting, 8080)).isEmpty();
    assertThat(SwarmServices.publishedPort(zero, 8080)).isEmpty();
    assertThat(SwarmServices.publishedPort(new Task(), 8080)).isEmpty();
  }

  private static Task task(String service, String desired, String state, String image, int port)
      throws Exception {
    return JSON.readValue(
        "{\"ServiceID\":\"" + service + "\",\"NodeID\":\"mgr\","
            + "\"DesiredState\":\"" + desired + "\",\"Spec\":{\"ContainerSpec\":{\"Image\":\""
            + image
            + "\"}},\"Status\":{\"State\":\"" + state + "\",\"PortStatus\":{\"Ports\":["
            + "{\"TargetPort\":8080,\"PublishedPort\":" + port + "}]}}}",
        Task.class);
  }

  /** One task list serves every service: each counts its own running tasks, none of another's. */
  @Test
  void aServicesHealthyTasks_areReadOffOneTaskListOfAllServices() throws Exception {
    var service = JSON.readValue(
        "{\"ID\":\"svc\",\"Spec\":{\"TaskTemplate\":{\"ContainerSpec\":{\"Image\":\"web:v2\"}},"
            + "\"EndpointSpec\":{\"Ports\":[{\"TargetPort\":8080}]}}}",
        Service.class);
    var nodes = SwarmNodes.of(
        List.of(node("{\"ID\":\"mgr\",\"Status\":{\"State\":\"ready\",\"Addr\":\"10.0.0.2\"}}")));
    var tasks = List.of(
        task("svc", "running", "running", "web:v2", 30001),
        task("svc", "running", "running", "web:v1", 30002),
        task("svc", "running", "starting", "web:v2", 30003),
        task("svc", "shutdown", "running", "web:v1", 30004),
        task("other", "running", "running", "web:v2", 30005));

    var healthy = SwarmServices.healthyTasks(service, tasks, nodes);

    assertThat(healthy)
        .containsExactly(
            new SwarmServices.HealthyTask(Optional.of("10.0.0.2:30001"), true),
            new SwarmServices.HealthyTask(Optional.of("10.0.0.2:30002"), false));
  }
}
