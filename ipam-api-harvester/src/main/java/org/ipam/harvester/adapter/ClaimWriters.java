package org.ipam.harvester.adapter;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;

/** What the claims write with: the client, the clock, and each kind's status writer. */
record ClaimWriters(
    KubernetesClient client,
    Clock clock,
    LoadBalancerWrites loadBalancers,
    ServiceWrites services) {}
