package org.ipam.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.ipam.core.alloc.PoolSpec;
import org.ipam.core.alloc.Segment;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpFamily;
import org.ipam.core.net.IpRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's promises (issue 10), each against the in-memory API with the cache lag in the test's
 * hands: never one address to two claims, claims known by uid, nothing leaked, nothing stuck,
 * nothing written after a fence.
 */
class AllocationEngineTest {
  private static final String IPCLAIM = "IPClaim";
  private static final String CAPI = "IPAddressClaim";

  private final FakeClock clock = new FakeClock();
  private final InMemoryApi api = new InMemoryApi(clock);
  private final List<Writer> writers = new ArrayList<>();

  @AfterEach
  void closeWriters() {
    writers.forEach(Writer::close);
  }

  // ---------------------------------------------------------------- cache lag

  @Test
  void aPassForNewClaimsNeverHandsOutWhatAnEarlierPassCommittedBeforeTheCacheShowsIt() {
    Writer writer = writer(v4("10.0.0.1", "10.0.0.10"));
    api.createClaim(IPCLAIM, "a1");
    api.createClaim(IPCLAIM, "a2");
    writer.informer.flushClaims();
    writer.pass();

    api.createClaim(CAPI, "b1");
    api.createClaim(CAPI, "b2");
    writer.informer.flushClaims(); // the address objects of pass 1 stay out of the cache
    writer.pass();

    assertThat(writer.binding.calls("commit"))
        .extracting(InMemoryBinding.Call::detail)
        .containsExactly("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4");
    assertThat(addressShown(IPCLAIM, "a1")).isEqualTo("10.0.0.1");
    assertThat(addressShown(IPCLAIM, "a2")).isEqualTo("10.0.0.2");
    assertThat(addressShown(CAPI, "b1")).isEqualTo("10.0.0.3");
    assertThat(addressShown(CAPI, "b2")).isEqualTo("10.0.0.4");
    assertEveryClaimShowsOnlyItsOwnObject();

    // Once the cache catches up, nothing is written again.
    assertNothingWrittenOnceTheCacheCatchesUp(writer);
  }

  // ---------------------------------------------------------------- a view behind its own report

  @Test
  void
      aServedClaimWhoseStatusTheCacheDoesNotShowYetIsNotReportedAgainUntilTheViewHadTimeToCatchUp() {
    Writer writer = writer(v4("10.0.0.1", "10.0.0.10"));
    api.createClaim(IPCLAIM, "a");
    writer.informer.flushClaims();
    writer.pass();
    assertThat(writer.binding.calls("reportAllocated")).hasSize(1);

    // The address object's event arrives and wakes the claim; its status write is not in the
    // cache yet. Reporting now would write the object and the status a second time.
    writer.informer.flushObjects();
    writer.pass();
    assertThat(writer.binding.calls("commit")).hasSize(1);
    assertThat(writer.binding.calls("reportAllocated")).hasSize(1);

    // A view that has not caught up after that is reported again: nothing waits on the cache.
    clock.advance(AllocationEngine.VIEW_CATCH_UP);
    writer.pass();
    assertThat(writer.binding.calls("reportAllocated")).hasSize(2);

    // Once the cache shows it, nothing more.
    assertNothingWrittenOnceTheCacheCatchesUp(writer);
    assertThat(addressShown(IPCLAIM, "a")).isEqualTo("10.0.0.1");
    assertEveryClaimShowsOnlyItsOwnObject();
  }

  // ---------------------------------------------------------------- a lost create response

  @Test
  void aCreateWhoseResponseWasLostIsFoundOnTheNextTryAsOursAndNoSecondAddressIsCommitted() {
    Writer writer = writer(v4("10.0.0.1", "10.0.0.10"));
    api.createClaim(IPCLAIM, "a");
    writer.binding.loseNextCreateResponse = true;
    writer.informer.flushClaims();
    writer.pass();
    assertThat(api.objects()).hasSize(1); // it was created all the same

    clock.advance(Duration.ofSeconds(1));
    writer.informer.flushClaims(); // the object is still not in the cache
    writer.pass();

    assertThat(writer.binding.calls("commit"))
        .extracting(InMemoryBinding.Call::detail)
        .containsExactly("10.0.0.1", "10.0.0.1");
    assertThat(api.objects()).hasSize(1);
    assertThat(addressShown(IPCLAIM, "a")).isEqualTo("10.0.0.1");
    settle(writer);
    assertThat(api.objects()).hasSize(1);
    assertEveryClaimShowsOnlyItsOwnObject();
  }

  @Test
  void aCreateWhoseResponseWasLostKeepsItsAddressForItsClaimWhileAnotherClaimIsDecided() {
    Writer writer = writer(v4("10.0.0.1", "10.0.0.10"));
    api.createClaim(IPCLAIM, "a");
    writer.binding.loseNextCreateResponse = true;
    writer.informer.flushClaims();
    writer.pass();

    // Before claim a is tried again, claim b is decided from the same cache (no object yet).
    api.createClaim(IPCLAIM, "b");
    writer.informer.flushClaims();
    writer.pass();
    clock.advance(Duration.ofSeconds(1));
    writer.informer.flushClaims();
    writer.pass();
    settle(writer);

    assertThat(api.objects()).hasSize(2);
    assertThat(objectsOwnedBy(IPCLAIM, "a")).hasSize(1);
    assertThat(objectsOwnedBy(IPCLAIM, "b")).hasSize(1);
    assertThat(addressShown(IPCLAIM, "a")).isEqualTo("10.0.0.1");
    assertThat(addressShown(IPCLAIM, "b")).isEqualTo("10.0.0.2");
    String a = uidOf(IPCLAIM, "a");
    assertThat(writer.binding.calls("reportAllocated"))
        .filteredOn(call -> call.claimUid().equals(a))
        .extracting(InMemoryBinding.Call::detail)
        .containsOnly(objectName("10.0.0.1"));
    assertThat(writer.binding.calls("commit"))
        .filteredOn(call -> !call.claimUid().equals(a))
        .extracting(InMemoryBinding.Call::detail)
        .containsOnly("10.0.0.2");
    assertEveryClaimShowsOnlyItsOwnObject();
  }

  @Test
  void aCommitThatThrewBeforeWritingAnythingIsWrittenOnTheNextTry() {
    Writer writer = writer(v4("10.0.0.1", "10.0.0.10"));
    AtomicBoolean failed = new AtomicBoolean();
    writer.binding.commitOverride =
        claim -> {
          if (failed.compareAndSet(false, true)) {
            throw new IllegalStateException("connection refused");
          }
          return null;
        };
    api.createClaim(IPCLAIM, "a");
    writer.informer.flush();
    writer.pass();
    assertThat(api.objects()).isEmpty();

    settle(writer);
    assertThat(writer.binding.calls("commit"))
        .extracting(InMemoryBinding.Call::detail)
        .containsExactly("10.0.0.1", "10.0.0.1");
    assertThat(addressShown(IPCLAIM, "a")).isEqualTo("10.0.0.1");
    assertThat(api.claim(IPCLAIM, "a").orElseThrow().failure()).isNull();
  }

  // ---------------------------------------------------------------- Taken

  @Test
  void anAddressAnotherWriterTookIsNeverShownToOurClaimWhichGetsAnotherOne() {
    Writer writer = writer(v4("10.0.0.1", "10.0.0.10"));
    api.createClaim(IPCLAIM, "a");
    writer.informer.flushClaims();
    // Another writer serves claim x of the other kind with 10.0.0.1; our cache shows none of it.
    FakeClaim x = api.createClaim(CAPI, "x");
    api.createObject(objectName("10.0.0.1"), ip("10.0.0.1"), CAPI, "x", x.uid());
    api.updateClaim(
        CAPI,
        "x",
        x.uid(),
        c -> c.withFinalizer(InMemoryBinding.FINALIZER).withStatus(objectName("10.0.0.1")));

    writer.pass();
    assertThat(writer.binding.calls("commit")).extracting("detail").containsExactly("10.0.0.1");
    assertThat(api.claim(IPCLAIM, "a").orElseThrow().status()).isNull();

    clock.advance(Duration.ofSeconds(1));
    writer.pass(); // the cache still shows nothing of x
    assertThat(addressShown(IPCLAIM, "a")).isEqualTo("10.0.0.2");

    settle(writer);
    assertThat(addressShown(IPCLAIM, "a")).isEqualTo("10.0.0.2");
    assertThat(addressShown(CAPI, "x")).isEqualTo("10.0.0.1");
    assertThat(writer.binding.calls("reportAllocated"))
        .extracting(InMemoryBinding.Call::detail)
        .doesNotContain(objectName("10.0.0.1"));
    assertThat(writer.binding.calls("releaseOrphan")).isEmpty();
    assertThat(api.objects()).hasSize(2);
    assertEveryClaimShowsOnlyItsOwnObject();
  }

  // ---------------------------------------------------------------- claims known by uid

  @Test
  void aClaimRecreatedUnderTheSameNameIsNeverShownTheOldIncarnationsObject() {
    Writer writer = writer(v4("10.0.0.1", "10.0.0.3"));
    FakeClaim old = api.createClaim(IPCLAIM, "c");
    settle(writer);
    assertThat(addressShown(IPCLAIM, "c")).isEqualTo("10.0.0.1");

    // The old incarnation goes without being released (its finalizer removed by someone else),
    // and a new one of the same name comes while the cache still shows the old object.
    api.updateClaim(
        IPCLAIM, "c", old.uid(), claim -> claim.withoutFinalizer(InMemoryBinding.FINALIZER));
    api.deleteClaim(IPCLAIM, "c");
    clock.advance(Duration.ofSeconds(1));
    FakeClaim recreated = api.createClaim(IPCLAIM, "c");
    writer.informer.flushClaims();
    writer.pass();

    assertThat(addressShown(IPCLAIM, "c")).isEqualTo("10.0.0.2");
    assertThat(api.object(objectName("10.0.0.1")).orElseThrow().ownerUid()).isEqualTo(old.uid());

    // The old object's address stays occupied while the object exists.
    api.createClaim(IPCLAIM, "d");
    api.createClaim(IPCLAIM, "e");
    writer.flushAndPass();
    assertThat(addressShown(IPCLAIM, "d")).isEqualTo("10.0.0.3");
    assertThat(api.claim(IPCLAIM, "e").orElseThrow().status()).isNull();
    assertThat(api.claim(IPCLAIM, "e").orElseThrow().failure()).contains("no free address");

    // Within the grace period it is left alone; after it, released as an orphan.
    clock.advance(Writer.GRACE.minusSeconds(5));
    writer.flushAndPass();
    assertThat(api.object(objectName("10.0.0.1"))).isPresent();
    clock.advance(Duration.ofSeconds(10));
    writer.flushAndPass();
    assertThat(api.object(objectName("10.0.0.1"))).isEmpty();

    settle(writer);
    assertThat(addressShown(IPCLAIM, "e")).isEqualTo("10.0.0.1");
    assertThat(api.claim(IPCLAIM, "c").orElseThrow().uid()).isEqualTo(recreated.uid());
    assertThat(addressShown(IPCLAIM, "c")).isEqualTo("10.0.0.2");
    assertEveryClaimShowsOnlyItsOwnObject();
  }

  @Test
  void aRecreatedClaimWhosePreAllocationTheOldIncarnationStillHoldsWaitsForItInsteadOfSharing() {
    // Metal3 keys pre-allocations by claim name: both incarnations of "c" ask for 10.0.0.5.
    PoolSpec spec =
        v4("10.0.0.1", "10.0.0.10").withPreAllocations(Map.of("c", Ip.parse("10.0.0.5")));
    Writer writer = new Writer(api, clock, spec, 1, true);
    writers.add(writer);
    FakeClaim old = api.createClaim(IPCLAIM, "c");
    settle(writer);
    assertThat(addressShown(IPCLAIM, "c")).isEqualTo("10.0.0.5");

    api.updateClaim(
        IPCLAIM, "c", old.uid(), claim -> claim.withoutFinalizer(InMemoryBinding.FINALIZER));
    api.deleteClaim(IPCLAIM, "c");
    api.createClaim(IPCLAIM, "c");
    writer.informer.flushClaims();
    writer.pass();
    assertThat(api.claim(IPCLAIM, "c").orElseThrow().status()).isNull();
    assertThat(writer.binding.calls("commit")).hasSize(1);

    clock.advance(Writer.GRACE.plusSeconds(1));
    settle(writer);
    assertThat(addressShown(IPCLAIM, "c")).isEqualTo("10.0.0.5");
    assertThat(api.objects()).hasSize(1);
    assertEveryClaimShowsOnlyItsOwnObject();
  }

  // ---------------------------------------------------------------- release

  @Test
  void aClaimDeletedBeforeTheCacheShowsItsCommitHasItsObjectDeletedAndNothingLeaks() {
    Writer writer = writer(v4("10.0.0.1", "10.0.0.10"));
    api.createClaim(IPCLAIM, "a");
    writer.informer.flushClaims();
    writer.pass();
    assertThat(api.objects()).hasSize(1);

    api.deleteClaim(IPCLAIM, "a");
    writer.informer.flushClaims(); // the cache shows the claim deleting, not its object
    writer.pass();

    assertThat(api.objects()).isEmpty();
    assertThat(api.claims()).isEmpty();
    settle(writer);
    assertThat(api.objects()).isEmpty();
    assertThat(writer.stateIsEmpty()).isTrue();
  }

  @Test
  void aClaimDeletedBeforeItsStatusWasWrittenIsReleasedAsAnOrphanAfterTheGracePeriod() {
    Writer writer = writer(v4("10.0.0.1", "10.0.0.10"));
    api.createClaim(IPCLAIM, "a");
    // The status write (and its finalizer) fails; the claim is deleted and goes at once.
    AtomicBoolean deleted = new AtomicBoolean();
    writer.binding.beforeWrite =
        () -> {
          if (api.objects().size() == 1 && deleted.compareAndSet(false, true)) {
            api.deleteClaim(IPCLAIM, "a");
          }
        };
    writer.informer.flushClaims();
    writer.pass();
    writer.binding.beforeWrite = () -> {};
    assertThat(api.claims()).isEmpty();
    assertThat(api.objects()).hasSize(1);

    writer.flushAndPass();
    assertThat(api.objects()).hasSize(1);
    clock.advance(Writer.GRACE.plusSeconds(1));
    settle(writer);
    assertThat(api.objects()).isEmpty();
    assertThat(writer.stateIsEmpty()).isTrue();
  }

  // ---------------------------------------------------------------- objects not made by us

  @Test
  void aSecondObjectOfOneClaimStaysOccupiedIsReportedNeverHandedToAnotherAndGoesAfterTheGrace() {
    Writer writer = writer(v4("10.0.0.1", "10.0.0.4"));
    FakeClaim a = api.createClaim(IPCLAIM, "a");
    settle(writer);
    clock.advance(Duration.ofSeconds(1));
    // Made by hand (or by a second writer) for claim a, by its uid, after a's own object.
    api.createObject("a-by-hand", ip("10.0.0.2"), IPCLAIM, "a", a.uid());
    api.createClaim(IPCLAIM, "b");
    api.createClaim(IPCLAIM, "c");
    api.createClaim(IPCLAIM, "d");
    writer.flushAndPass();
    clock.advance(Duration.ofSeconds(1));
    writer.flushAndPass();

    assertThat(addressShown(IPCLAIM, "a")).isEqualTo("10.0.0.1");
    assertThat(addressShown(IPCLAIM, "b")).isEqualTo("10.0.0.3");
    assertThat(addressShown(IPCLAIM, "c")).isEqualTo("10.0.0.4");
    assertThat(api.claim(IPCLAIM, "d").orElseThrow().status()).isNull();
    assertThat(writer.binding.lastView().problems())
        .singleElement(InstanceOfAssertFactories.STRING)
        .contains("a-by-hand", "10.0.0.2", "second address");
    assertThat(writer.binding.calls("commit"))
        .extracting(InMemoryBinding.Call::detail)
        .doesNotContain("10.0.0.2");

    // Within the surplus grace (a third of the orphan grace) it stays; after it, it is released
    // and d gets its address.
    clock.advance(Writer.GRACE.dividedBy(3).minusSeconds(5));
    writer.flushAndPass();
    assertThat(api.object("a-by-hand")).isPresent();
    clock.advance(Duration.ofSeconds(5));
    writer.pass();
    assertThat(api.object("a-by-hand")).isEmpty();
    settle(writer);
    assertThat(writer.binding.calls("releaseSurplus")).hasSize(1);
    assertThat(addressShown(IPCLAIM, "a")).isEqualTo("10.0.0.1");
    assertThat(addressShown(IPCLAIM, "d")).isEqualTo("10.0.0.2");
    assertThat(writer.binding.lastView().problems()).isEmpty();
    assertEveryClaimShowsOnlyItsOwnObject();
  }

  @Test
  void deletingAClaimReleasesEveryObjectItHolds() {
    Writer writer = writer(v4("10.0.0.1", "10.0.0.4"));
    FakeClaim a = api.createClaim(IPCLAIM, "a");
    settle(writer);
    clock.advance(Duration.ofSeconds(1));
    api.createObject("a-by-hand", ip("10.0.0.2"), IPCLAIM, "a", a.uid());
    writer.flushAndPass();

    api.deleteClaim(IPCLAIM, "a");
    settle(writer);
    assertThat(api.objects()).isEmpty();
    assertThat(api.claims()).isEmpty();
    assertThat(writer.stateIsEmpty()).isTrue();
  }

  @Test
  void anObjectMadeByHandWithoutUidIsAdoptedByTheClaimOfThatNameAndKindOnly() {
    Writer writer = writer(v4("10.0.0.1", "10.0.0.10"));
    api.createObject("made-by-hand", ip("10.0.0.5"), IPCLAIM, "c", null);
    api.createClaim(IPCLAIM, "b"); // another name
    api.createClaim(CAPI, "c"); // the name, another kind
    FakeClaim c = api.createClaim(IPCLAIM, "c");
    settle(writer);

    assertThat(addressShown(IPCLAIM, "c")).isEqualTo("10.0.0.5");
    assertThat(api.object("made-by-hand").orElseThrow().ownerUid()).isEqualTo(c.uid());
    assertThat(api.claim(IPCLAIM, "c").orElseThrow().status()).isEqualTo("made-by-hand");
    assertThat(addressShown(IPCLAIM, "b")).isNotEqualTo("10.0.0.5");
    assertThat(addressShown(CAPI, "c")).isNotEqualTo("10.0.0.5");
    assertThat(writer.binding.calls("adopt"))
        .singleElement()
        .extracting(InMemoryBinding.Call::claimUid)
        .isEqualTo(c.uid());
    assertThat(writer.binding.calls("commit"))
        .extracting(InMemoryBinding.Call::detail)
        .doesNotContain("10.0.0.5");
    assertEveryClaimShowsOnlyItsOwnObject();
  }

  @Test
  void anObjectMadeByHandForAClaimThatHoldsAnotherAddressStaysOccupiedAndIsReported() {
    // Issue 10, defect 3: it must neither be handed out (a poison address) nor adopted.
    Writer writer = writer(v4("10.0.0.1", "10.0.0.10"));
    api.createClaim(IPCLAIM, "a");
    settle(writer);
    api.createObject(objectName("10.0.0.2"), ip("10.0.0.2"), IPCLAIM, "a", null);
    api.createClaim(IPCLAIM, "b");
    api.createClaim(IPCLAIM, "c");
    clock.advance(Duration.ofSeconds(1));
    settle(writer);

    assertThat(addressShown(IPCLAIM, "a")).isEqualTo("10.0.0.1");
    assertThat(addressShown(IPCLAIM, "b")).isEqualTo("10.0.0.3");
    assertThat(addressShown(IPCLAIM, "c")).isEqualTo("10.0.0.4");
    assertThat(writer.binding.calls("commit")).hasSize(3);
    assertThat(writer.binding.calls("adopt")).isEmpty();
    assertThat(writer.binding.lastView().problems())
        .singleElement(InstanceOfAssertFactories.STRING)
        .contains(objectName("10.0.0.2"), "made by hand");
  }

  @Test
  void aHandMadeObjectThatClashesWithACommittedAddressIsNeitherAdoptedNorWinsARebuild() {
    // Review finding: claim a is committed on .1 before the cache shows a hand-made object (another
    // name) that names claim b and also holds .1. b must not adopt it, and a rebuild (a spec
    // change) must not hand .1 to b while a is shown it.
    Writer writer = writer(v4("10.0.0.1", "10.0.0.10"));
    clock.advance(Duration.ofSeconds(5));
    api.createObject("manual", ip("10.0.0.1"), IPCLAIM, "b", null);
    clock.advance(Duration.ofSeconds(5));
    api.createClaim(IPCLAIM, "a");
    writer.informer.flushClaims(); // "manual" stays out of the cache for now
    writer.pass();
    assertThat(addressShown(IPCLAIM, "a")).isEqualTo("10.0.0.1");

    api.createClaim(IPCLAIM, "b");
    settle(writer);
    writer.binding.setSpec(v4("10.0.0.1", "10.0.0.20"));
    settle(writer);

    assertThat(writer.binding.calls("adopt")).isEmpty();
    assertThat(addressShown(IPCLAIM, "a")).isEqualTo("10.0.0.1");
    assertThat(addressShown(IPCLAIM, "b")).isNotEqualTo("10.0.0.1");
    assertEveryClaimShowsOnlyItsOwnObject();
  }

  // ---------------------------------------------------------------- the pool's spec

  @Test
  void aRangeShrunkBelowHeldAddressesKeepsThemHeldAndHandsOutNothingOutsideIt() {
    Writer writer = writer(v4("10.0.0.1", "10.0.0.10"));
    for (String name : List.of("a", "b", "c", "d", "e")) {
      api.createClaim(IPCLAIM, name);
    }
    settle(writer);
    int writes = writer.binding.writeCalls();

    writer.binding.setSpec(v4("10.0.0.1", "10.0.0.3"));
    clock.advance(Duration.ofSeconds(1));
    writer.pass();
    assertThat(writer.binding.calls().subList(writes, writer.binding.writeCalls()))
        .extracting(InMemoryBinding.Call::method)
        .containsOnly("reportPool");
    assertThat(writer.binding.lastView().allocations()).hasSize(5);
    assertThat(writer.binding.lastView().counts().outOfRange()).isEqualTo(BigInteger.TWO);

    api.createClaim(IPCLAIM, "f");
    settle(writer);
    assertThat(api.claim(IPCLAIM, "f").orElseThrow().status()).isNull();
    assertThat(addressShown(IPCLAIM, "d")).isEqualTo("10.0.0.4");
    assertThat(addressShown(IPCLAIM, "e")).isEqualTo("10.0.0.5");

    writer.binding.setSpec(v4("10.0.0.1", "10.0.0.10"));
    settle(writer);
    assertThat(addressShown(IPCLAIM, "f")).isEqualTo("10.0.0.6");
    assertEveryClaimShowsOnlyItsOwnObject();
  }

  @Test
  void aPoolThatTurnsIpv6KeepsItsIpv4AllocationsHeldAndListsThemAsProblems() {
    Writer writer = writer(v4("10.0.0.1", "10.0.0.10"));
    api.createClaim(IPCLAIM, "a");
    api.createClaim(IPCLAIM, "b");
    settle(writer);
    int writes = writer.binding.writeCalls();

    writer.binding.setSpec(v6("2001:db8::1", "2001:db8::10"));
    api.createClaim(IPCLAIM, "c");
    clock.advance(Duration.ofSeconds(1));
    settle(writer);

    assertThat(
            writer.binding.calls().subList(writes, writer.binding.writeCalls()).stream()
                .filter(call -> !call.method().equals("reportPool"))
                .map(InMemoryBinding.Call::claimUid))
        .containsOnly(api.claim(IPCLAIM, "c").orElseThrow().uid());
    assertThat(addressShown(IPCLAIM, "a")).isEqualTo("10.0.0.1");
    assertThat(addressShown(IPCLAIM, "b")).isEqualTo("10.0.0.2");
    assertThat(addressShown(IPCLAIM, "c")).isEqualTo("2001:db8::1");
    assertThat(writer.heldOutside(uidOf(IPCLAIM, "a"))).contains(IpRange.single(ip("10.0.0.1")));
    assertThat(writer.binding.lastView().problems())
        .hasSize(2)
        .anySatisfy(p -> assertThat(p).contains(objectName("10.0.0.1"), "IPv4", "IPv6 pool"))
        .anySatisfy(p -> assertThat(p).contains(objectName("10.0.0.2"), "IPv4", "IPv6 pool"));

    // Deleting a claim releases what it holds, whatever the family.
    api.deleteClaim(IPCLAIM, "a");
    settle(writer);
    assertThat(api.object(objectName("10.0.0.1"))).isEmpty();
    assertThat(writer.binding.lastView().problems()).hasSize(1);
  }

  // ---------------------------------------------------------------- fencing

  @Test
  void afterFenceNoWriteMethodIsCalled() {
    Writer writer = writer(v4("10.0.0.1", "10.0.0.10"));
    api.createClaim(IPCLAIM, "a");
    writer.informer.flush();
    writer.engine.fence();

    assertThat(writer.pass()).isEqualTo(PassReport.idle());
    clock.advance(Duration.ofMinutes(5));
    writer.flushAndPass();
    assertThat(writer.binding.calls()).isEmpty();
    assertThat(api.objects()).isEmpty();
  }

  @Test
  void aFenceDuringAPassStopsTheWritesNotYetSent() {
    Writer writer = writer(v4("10.0.0.1", "10.0.0.10"));
    api.createClaim(IPCLAIM, "a");
    api.createClaim(IPCLAIM, "b");
    api.createClaim(IPCLAIM, "c");
    writer.informer.flush();
    AtomicBoolean fenced = new AtomicBoolean();
    writer.binding.beforeWrite =
        () -> {
          if (fenced.compareAndSet(false, true)) {
            writer.engine.fence(); // the Lease is lost while the first write is on the wire
          }
        };

    writer.pass();
    clock.advance(Duration.ofMinutes(5));
    writer.flushAndPass();

    assertThat(writer.binding.calls())
        .extracting(InMemoryBinding.Call::method)
        .containsExactly("commit");
    assertThat(api.objects()).hasSize(1);
  }

  // ---------------------------------------------------------------- backoff

  @Test
  void aCommitThatKeepsFailingIsTriedWithGrowingGapsNotOnEveryPass() {
    Writer writer = writer(v4("10.0.0.1", "10.0.0.10"));
    writer.binding.commitOverride =
        claim -> new CommitOutcome.Failed("pool name Pool_1 is not a valid object name");
    api.createClaim(IPCLAIM, "a");
    writer.informer.flush();
    for (int i = 0; i < 600; i++) { // 30 s of passes, one every 50 ms
      writer.pass();
      clock.advance(Duration.ofMillis(50));
    }

    List<InMemoryBinding.Call> commits = writer.binding.calls("commit");
    assertThat(commits).hasSizeBetween(6, 12);
    List<Duration> gaps = new ArrayList<>();
    for (int i = 1; i < commits.size(); i++) {
      gaps.add(Duration.between(commits.get(i - 1).at(), commits.get(i).at()));
    }
    for (int i = 1; i < gaps.size(); i++) {
      assertThat(gaps.get(i)).isGreaterThanOrEqualTo(gaps.get(i - 1));
    }
    assertThat(gaps.get(0)).isGreaterThanOrEqualTo(Writer.BACKOFF.base());
    assertThat(gaps.get(3)).isGreaterThanOrEqualTo(Writer.BACKOFF.base().multipliedBy(8));
    assertThat(gaps.get(gaps.size() - 1))
        .isBetween(Writer.BACKOFF.cap(), Writer.BACKOFF.cap().plusMillis(50));
    // The claim is told once, not on every try.
    assertThat(writer.binding.calls("reportFailed")).hasSize(1);
    assertThat(api.claim(IPCLAIM, "a").orElseThrow().failure()).contains("Pool_1");

    // Once the commit can succeed, the claim is served at its next try.
    writer.binding.commitOverride = null;
    clock.advance(Writer.BACKOFF.cap());
    settle(writer);
    assertThat(addressShown(IPCLAIM, "a")).isEqualTo("10.0.0.1");
  }

  @Test
  void aPassTellsWhenToComeBackForABackoffInsteadOfAskingToRunAtOnce() {
    Writer writer = writer(v4("10.0.0.1", "10.0.0.10"));
    writer.binding.commitOverride = claim -> new CommitOutcome.Failed("refused");
    api.createClaim(IPCLAIM, "a");
    writer.informer.flush();
    writer.pass();
    clock.advance(Duration.ofSeconds(2)); // past the status interval
    writer.pass(); // the second failure: 200 ms
    PassReport report = writer.pass();
    assertThat(report.retryAfter()).isPresent();
    assertThat(report.retryAfter().get()).isPositive();
  }

  @Test
  void aPoolStatusThatCouldNotBeWrittenIsWrittenAgainWithoutAnotherEvent() {
    Writer writer = writer(v4("10.0.0.1", "10.0.0.10"));
    api.createClaim(IPCLAIM, "a");
    writer.binding.reportFailure = new IllegalStateException("the API server is away");
    writer.informer.flush();
    PassReport failed = writer.pass();
    assertThat(addressShown(IPCLAIM, "a")).isEqualTo("10.0.0.1");
    assertThat(writer.binding.lastView()).as("no status written").isNull();
    assertThat(failed.retryAfter()).as("a pass comes back for the status").isPresent();
    assertThat(failed.retryAfter().get()).isLessThanOrEqualTo(AllocationEngine.STATUS_RETRY);

    clock.advance(failed.retryAfter().get());
    PassReport failedAgain = writer.pass();
    assertThat(failedAgain.retryAfter())
        .as("a status that keeps failing is tried less often")
        .contains(AllocationEngine.STATUS_RETRY.multipliedBy(2));

    writer.binding.reportFailure = null;
    clock.advance(failedAgain.retryAfter().get());
    PassReport written = writer.pass();
    assertThat(writer.binding.lastView().allocations()).hasSize(1);
    assertThat(written.retryAfter().filter(d -> d.compareTo(AllocationEngine.STATUS_RETRY) <= 0))
        .as("no status left to come back for")
        .isEmpty();
  }

  // ---------------------------------------------------------------- no busy loops

  @Test
  void anObjectOfAClaimKindTheBindingDoesNotWatchIsLeftAloneWithoutMakingThePoolSpin() {
    Writer writer = writer(v4("10.0.0.1", "10.0.0.10"));
    api.createObject(objectName("10.0.0.7"), ip("10.0.0.7"), "OtherClaim", "z", "uid-unknown");
    api.createClaim(IPCLAIM, "a");
    writer.informer.flush();
    writer.pass();
    clock.advance(Writer.GRACE.plusSeconds(5));
    writer.pass();
    clock.advance(Duration.ofSeconds(5));
    PassReport report = writer.pass();

    assertThat(writer.binding.calls("releaseOrphan")).isEmpty();
    assertThat(api.object(objectName("10.0.0.7"))).isPresent();
    assertThat(report.retryAfter().filter(d -> d.isZero())).isEmpty();
  }

  @Test
  void anOrphanReleasedButNotYetGoneFromTheCacheDoesNotMakeThePoolSpin() {
    Writer writer = writer(v4("10.0.0.1", "10.0.0.10"));
    api.createObject(objectName("10.0.0.7"), ip("10.0.0.7"), IPCLAIM, "z", "uid-gone");
    writer.informer.flush();
    writer.pass();
    clock.advance(Writer.GRACE.plusSeconds(1));
    writer.pass();
    assertThat(writer.binding.calls("releaseOrphan")).hasSize(1);
    assertThat(api.objects()).isEmpty();

    clock.advance(Duration.ofSeconds(2));
    PassReport report = writer.pass(); // the delete is not in the cache yet
    assertThat(report.retryAfter().filter(d -> d.isZero())).isEmpty();
    writer.flushAndPass();
    assertThat(writer.stateIsEmpty()).isTrue();
  }

  /**
   * What the claim finalizer webhook asks: a pool is served once a pass has followed its spec, and
   * no longer once it is being deleted, forgotten, or the process is fenced; not while it is paused
   * (until its next pass).
   */
  @Test
  void aPoolIsServedFromItsFirstPassUntilItClosesGoesOrTheProcessIsFenced() {
    Writer writer = writer(v4("10.0.0.1", "10.0.0.10"));
    assertThat(writer.engine.serves(Writer.POOL)).as("before any pass").isFalse();
    writer.pass();
    assertThat(writer.engine.serves(Writer.POOL)).isTrue();
    writer.engine.paused(Writer.POOL);
    assertThat(writer.engine.serves(Writer.POOL)).as("paused").isFalse();
    writer.pass();
    assertThat(writer.engine.serves(Writer.POOL)).as("its next pass ends the pause").isTrue();
    writer.engine.closing(Writer.POOL);
    writer.pass();
    assertThat(writer.engine.serves(Writer.POOL)).as("being deleted").isFalse();
    writer.engine.forget(Writer.POOL);
    writer.pass();
    assertThat(writer.engine.serves(Writer.POOL)).as("a new pool of the name").isTrue();
    writer.engine.closing(new PoolKey("test", InMemoryApi.NAMESPACE, "never-run"));
    assertThat(writer.engine.serves(new PoolKey("test", InMemoryApi.NAMESPACE, "never-run")))
        .isFalse();
    writer.engine.fence();
    assertThat(writer.engine.serves(Writer.POOL)).as("fenced").isFalse();
  }

  // ---------------------------------------------------------------- helpers

  /** The cache catches up and a pass runs: it writes nothing but the pool's status. */
  private static void assertNothingWrittenOnceTheCacheCatchesUp(Writer writer) {
    int before = writer.binding.writeCalls();
    writer.flushAndPass();
    assertThat(
            writer.binding.calls().subList(before, writer.binding.writeCalls()).stream()
                .filter(c -> !c.method().equals("reportPool")))
        .isEmpty();
  }

  private Writer writer(PoolSpec spec) {
    Writer writer = new Writer(api, clock, spec);
    writers.add(writer);
    return writer;
  }

  static PoolSpec v4(String first, String last) {
    return PoolSpec.of(IpFamily.IPV4, List.of(Segment.of(new IpRange(ip(first), ip(last)))));
  }

  static PoolSpec v6(String first, String last) {
    return PoolSpec.of(IpFamily.IPV6, List.of(Segment.of(new IpRange(ip(first), ip(last)))));
  }

  static Ip ip(String text) {
    return Ip.parse(text);
  }

  static String objectName(String address) {
    return InMemoryBinding.objectName(Writer.POOL.name(), ip(address));
  }

  private String uidOf(String kind, String name) {
    return api.claim(kind, name).orElseThrow().uid();
  }

  /** The address of the object the claim's status names (null when it names none). */
  private String addressShown(String kind, String name) {
    FakeClaim claim = api.claim(kind, name).orElseThrow();
    if (claim.status() == null) {
      return null;
    }
    AddressObject object = api.object(claim.status()).orElseThrow();
    assertThat(object.ownerUid())
        .as("owner of %s shown to %s", object.name(), name)
        .isEqualTo(claim.uid());
    return object.address().toString();
  }

  private List<AddressObject> objectsOwnedBy(String kind, String name) {
    String uid = uidOf(kind, name);
    return api.objects().stream().filter(o -> uid.equals(o.ownerUid())).toList();
  }

  /**
   * Every claim shows (at most) an object that is its own, never one of another uid; no object is
   * shown to two claims.
   */
  private void assertEveryClaimShowsOnlyItsOwnObject() {
    assertThat(api.violations()).isEmpty();
    Set<String> shown = new java.util.HashSet<>();
    for (FakeClaim claim : api.claims()) {
      if (claim.status() == null) {
        continue;
      }
      AddressObject object = api.object(claim.status()).orElse(null);
      if (object != null) {
        assertThat(object.ownerUid()).isEqualTo(claim.uid());
        assertThat(shown.add(object.name())).isTrue();
      }
    }
  }

  /** Flushes and runs passes, moving the clock to each wake-up, until nothing is left to do. */
  private void settle(Writer writer) {
    for (int i = 0; i < 200; i++) {
      writer.informer.flush();
      PassReport report = writer.pass();
      if (writer.informer.pendingClaims() + writer.informer.pendingObjects() == 0
          && report.retryAfter().isEmpty()) {
        return;
      }
      clock.advance(report.retryAfter().filter(d -> !d.isZero()).orElse(Duration.ofMillis(10)));
    }
    fail("the pool did not settle in 200 passes");
  }
}
