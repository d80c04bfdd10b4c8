package org.ipam.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.ipam.core.engine.ApiRateLimit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code --kube-api-qps} and {@code --kube-api-burst} reach the client's write limit. Bad inputs
 * tried: qps 0, burst 0, qps that is not a number; call() turns the first two into a usage error
 * before anything starts.
 */
class ApiRateLimitFlagsTest {

  private static ApiRateLimit limitOf(String... args) {
    IpamController controller = new IpamController();
    new CommandLine(controller).parseArgs(args);
    return controller.apiRateLimit();
  }

  @Test
  void theDefaultsAllowABurstAndCapTheSteadyRate() {
    ApiRateLimit limit = limitOf();
    assertThat(limit.qps()).isEqualTo(200);
    assertThat(limit.burst()).isEqualTo(400);
  }

  @Test
  void theFlagsSetTheLimit() {
    ApiRateLimit limit = limitOf("--kube-api-qps=20", "--kube-api-burst", "30");
    assertThat(limit.qps()).isEqualTo(20);
    assertThat(limit.burst()).isEqualTo(30);
  }

  @Test
  void nonsenseIsRefusedWithTheValue() {
    assertThatThrownBy(() -> limitOf("--kube-api-qps=0")).hasMessageContaining("qps=0.0");
    assertThatThrownBy(() -> limitOf("--kube-api-burst=0")).hasMessageContaining("burst=0");
    assertThatThrownBy(() -> limitOf("--kube-api-qps=fast"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--kube-api-qps")
        .hasMessageContaining("fast");
  }
}
