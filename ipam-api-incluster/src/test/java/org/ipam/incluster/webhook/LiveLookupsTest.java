package org.ipam.incluster.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.ipam.core.capi.IPAddressClaim;
import org.junit.jupiter.api.Test;

/**
 * The live lookups under a burst of admission requests while the API server does not answer: a
 * small, bounded number of reading threads (daemons, named after their purpose), and the requests
 * beyond what they can take refused at once, not each given a thread of its own.
 */
class LiveLookupsTest {
  private static final String THREAD_NAME = "incluster-webhook-lookup";
  private static final int BURST = 200;

  @Test
  void aBurstOfLookupsAgainstASilentApiServerUsesAFewThreadsAndRefusesTheRest() throws Exception {
    CountDownLatch answer = new CountDownLatch(1);
    LiveLookups lookups = new LiveLookups(client(answer, null));
    List<Throwable> refused = new CopyOnWriteArrayList<>();
    List<Thread> requests = new ArrayList<>();
    for (int i = 0; i < BURST; i++) {
      String name = "claim-" + i;
      Thread request =
          new Thread(
              () -> {
                try {
                  lookups.find("default", name);
                } catch (RuntimeException e) {
                  refused.add(e);
                }
              });
      request.start();
      requests.add(request);
    }
    try {
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
      while (refused.size() < BURST / 2 && System.nanoTime() < until) {
        Thread.sleep(20);
      }
      List<Thread> readers =
          Thread.getAllStackTraces().keySet().stream()
              .filter(t -> t.getName().startsWith(THREAD_NAME))
              .toList();

      assertThat(readers)
          .as("lookup threads while %d requests wait", BURST)
          .hasSizeBetween(1, LiveLookups.READERS);
      assertThat(readers).allMatch(Thread::isDaemon);
      assertThat(refused.size()).as("requests refused at once").isGreaterThanOrEqualTo(BURST / 2);
      assertThat(refused.get(0)).hasMessageContaining("busy");
    } finally {
      answer.countDown();
      for (Thread request : requests) {
        request.join(10_000);
      }
    }
  }

  @Test
  void aLookupAnswersWhatTheApiServerReturned() {
    IPAddressClaim claim = new IPAddressClaim();
    claim.setMetadata(new ObjectMetaBuilder().withNamespace("default").withName("c").build());
    LiveLookups lookups = new LiveLookups(client(new CountDownLatch(0), claim));

    assertThat(lookups.find("default", "c")).containsSame(claim);
  }

  /**
   * A client whose claim reads wait until {@code answer} opens (an API server that does not answer
   * until then), then find {@code found}.
   */
  private static KubernetesClient client(CountDownLatch answer, IPAddressClaim found) {
    return proxy(KubernetesClient.class, answer, found);
  }

  @SuppressWarnings("unchecked")
  private static <T> T proxy(Class<T> type, CountDownLatch answer, IPAddressClaim found) {
    return (T)
        Proxy.newProxyInstance(
            LiveLookupsTest.class.getClassLoader(),
            new Class<?>[] {type},
            (self, method, args) ->
                switch (method.getName()) {
                  case "resources" -> proxy(MixedOperation.class, answer, found);
                  case "inNamespace" -> proxy(NonNamespaceOperation.class, answer, found);
                  case "withName" -> proxy(Resource.class, answer, found);
                  case "get" -> {
                    answer.await();
                    yield found;
                  }
                  case "hashCode" -> System.identityHashCode(self);
                  case "equals" -> self == args[0];
                  case "toString" -> "silent " + type.getSimpleName();
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }
}
