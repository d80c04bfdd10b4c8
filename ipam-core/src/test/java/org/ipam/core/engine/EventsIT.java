package org.ipam.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.List;
import org.ipam.core.testing.ControlPlaneExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Events land on the real API server, for namespaced and cluster-scoped objects alike: an event
 * about a cluster-scoped object (a Global pool, a Harvester IPPool) goes to "default", as
 * client-go's recorder puts it (it was once dropped at DEBUG: "namespace cannot be null").
 */
@ExtendWith(ControlPlaneExtension.class)
class EventsIT {

  @Test
  void anEventAboutAClusterScopedObjectIsWrittenInDefault(KubernetesClient client) {
    ClusterRole role =
        client
            .resource(
                new ClusterRoleBuilder()
                    .withNewMetadata()
                    .withName("events-it")
                    .endMetadata()
                    .build())
            .create();

    Events.warning(client, Clock.systemUTC(), role, "Tried", "an event on a cluster-scoped object");

    List<Event> events =
        client.v1().events().inNamespace("default").list().getItems().stream()
            .filter(e -> "events-it".equals(e.getInvolvedObject().getName()))
            .toList();
    assertThat(events).hasSize(1);
    assertThat(events.get(0).getReason()).isEqualTo("Tried");
    assertThat(events.get(0).getInvolvedObject().getNamespace()).isNull();
    assertThat(events.get(0).getInvolvedObject().getUid()).isEqualTo(role.getMetadata().getUid());
  }
}
