package org.ipam.metal3.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import org.ipam.core.alloc.AllocationFailure;
import org.ipam.core.net.Ip;
import org.junit.jupiter.api.Test;

/**
 * The claim messages: upstream's text first (tooling may match on it), then the address and who
 * holds it or why it cannot be had.
 */
class Metal3MessagesTest {
  private static final String POOL = "IPPool ns/p";

  @Test
  void aRequestedAddressSomeoneHoldsNamesTheAddressAndTheHolder() {
    assertThat(
            Metal3Messages.of(
                new AllocationFailure.AddressTaken(Ip.parse("10.0.0.5"), "IPClaim ns/x"),
                false,
                POOL))
        .isEqualTo("Requested IP not available: 10.0.0.5 is held by IPClaim ns/x");
  }

  @Test
  void aRequestedAddressPreAllocatedToAnotherClaimSaysWhose() {
    assertThat(
            Metal3Messages.of(
                new AllocationFailure.PreAllocatedToOther(Ip.parse("10.0.0.5"), "machine-0"),
                false,
                POOL))
        .isEqualTo(
            "Requested IP not available: 10.0.0.5 is pre-allocated to claim \"machine-0\" by"
                + " IPPool ns/p");
  }

  @Test
  void aRequestDifferentFromThePreAllocationNamesBothAddresses() {
    assertThat(
            Metal3Messages.of(
                new AllocationFailure.DiffersFromPreAllocation(
                    Ip.parse("10.0.0.5"), Ip.parse("2001:db8::7")),
                true,
                POOL))
        .isEqualTo(
            "PreAllocation and requested ip address are conflicting: the ipAddress annotation"
                + " asks for 10.0.0.5, IPPool ns/p pre-allocates 2001:db8::7");
  }

  @Test
  void anAddressOutsideEveryEntrySaysSoForARequestAndForAPreAllocation() {
    var outside = new AllocationFailure.OutsideSegments(Ip.parse("10.0.0.5"));
    assertThat(Metal3Messages.of(outside, false, POOL))
        .isEqualTo("Requested IP 10.0.0.5 is outside every entry of IPPool ns/p");
    assertThat(Metal3Messages.of(outside, true, POOL))
        .isEqualTo(
            "Pre-allocated IP out of bounds: 10.0.0.5 is outside every entry of IPPool ns/p");
  }
}
