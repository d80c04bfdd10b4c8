package org.ipam.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The PromQL checker the monitoring test relies on: it reads what Prometheus reads, and no more.
 */
class PromQlTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "up | up",
        "ipam_pool_used_addresses / (ipam_pool_total_addresses > 0) > 0.9"
            + " | ipam_pool_total_addresses,ipam_pool_used_addresses",
        "max by (namespace, pool) (ipam_pool_oldest_pending_claim_age_seconds{pool=~\"a.*\"}) > 300"
            + " | ipam_pool_oldest_pending_claim_age_seconds",
        "histogram_quantile(0.99, sum by (le) (rate(ipam_allocation_duration_seconds_bucket[5m])))"
            + " | ipam_allocation_duration_seconds_bucket",
        "sum(rate(a_total[5m])) without (instance) / on(dialect) group_left sum(b) | a_total,b",
        "topk(3, x offset 1h) or vector(0) | x",
        "-x ^ 2 ^ 3 + 1e-3 * y unless z | x,y,z",
        "time() - max_over_time(x[1h:5m]) >= bool 2 | x",
        "{__name__=\"named\", job!=\"\"} | named",
        "label_replace(x, \"a\", \"$1\", \"b\", \"(.*)\") | x",
      })
  void readsWhatPrometheusReads(String expression, String metrics) {
    assertThat(PromQl.metricNames(expression)).containsExactly(metrics.split(","));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", // nothing
        "sum(x", // unclosed
        "x +", // operand missing
        "rate(x)", // rate needs a range
        "rate(x[5m]) [5m]", // a range of a function
        "(x)[5m]", // a range of a parenthesised expression
        "x[5]", // a range without unit
        "frobnicate(x)", // no such function
        "x{job=bar}", // unquoted value
        "x{job~\"a\"}", // no such matcher
        "{job=\"\"}", // matches everything
        "1 > 2", // scalar comparison without bool
        "x and 1", // a set operator with a scalar
        "topk(x)", // topk's parameter missing
        "histogram_quantile(x, y)", // a vector where a scalar goes
        "x offset", // offset without duration
        "sum by (le (x)", // unclosed label list
        "x == \"a\"", // a string operand
      })
  void refusesWhatPrometheusRefuses(String expression) {
    assertThatThrownBy(() -> PromQl.metricNames(expression))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(" at ");
  }
}
