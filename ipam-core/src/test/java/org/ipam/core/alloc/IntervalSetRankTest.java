package org.ipam.core.alloc;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.List;
import java.util.Random;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpFamily;
import org.ipam.core.net.IpRange;
import org.junit.jupiter.api.Test;

/**
 * {@link IntervalSet#maxFreeRank} and {@link IntervalSet#freeAtRank}, the two halves of a uniform
 * random pick, against a BigInteger walk over the set's intervals: around the 2^64 word boundary,
 * with intervals of more than 2^64 values, and over the whole 128-bit space.
 */
class IntervalSetRankTest {
  private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);
  private static final BigInteger MAX = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

  @Test
  void ranksAgreeWithABigIntegerWalkAroundThe64BitBoundary() {
    Random random = new Random(17);
    BigInteger base = TWO_64.subtract(BigInteger.valueOf(40));
    for (int run = 0; run < 300; run++) {
      IntervalSet set = new IntervalSet(true);
      int intervals = random.nextInt(8);
      for (int i = 0; i < intervals; i++) {
        BigInteger start = base.add(BigInteger.valueOf(random.nextInt(80)));
        BigInteger length =
            random.nextInt(6) == 0
                ? BigInteger.ONE.shiftLeft(64 + random.nextInt(8))
                : BigInteger.valueOf(random.nextInt(5));
        add(set, start, start.add(length));
      }
      for (int query = 0; query < 20; query++) {
        BigInteger start = base.add(BigInteger.valueOf(random.nextInt(90) - 5));
        BigInteger end =
            random.nextBoolean()
                ? start.add(BigInteger.valueOf(random.nextInt(90)))
                : start.add(BigInteger.ONE.shiftLeft(62 + random.nextInt(10)));
        check(set, start, end, random);
      }
    }
  }

  @Test
  void theWhole128BitSpace() {
    IntervalSet set = new IntervalSet(true);
    Random random = new Random(3);
    check(set, BigInteger.ZERO, MAX, random);
    long[] out = new long[2];
    assertThat(set.maxFreeRank(0, 0, -1, -1, out)).isTrue();
    assertThat(out).containsExactly(-1, -1);
    assertThat(set.freeAtRank(0, 0, -1, -1, -1, -1, out)).isTrue();
    assertThat(out).containsExactly(-1, -1);

    add(set, BigInteger.ZERO, BigInteger.ZERO);
    add(set, MAX, MAX);
    check(set, BigInteger.ZERO, MAX, random);
    add(set, TWO_64, TWO_64.shiftLeft(1));
    check(set, BigInteger.ZERO, MAX, random);

    add(set, BigInteger.ZERO, MAX.subtract(BigInteger.ONE));
    check(set, BigInteger.ZERO, MAX, random);
    assertThat(set.maxFreeRank(0, 0, -1, -1, out)).isFalse();
  }

  @Test
  void narrowSetsCountTheSameWay() {
    IntervalSet set = new IntervalSet(false);
    Random random = new Random(5);
    add(set, BigInteger.valueOf(10), BigInteger.valueOf(19));
    add(set, BigInteger.valueOf(25), BigInteger.valueOf(25));
    add(set, BigInteger.valueOf(0xffff_fff0L), BigInteger.valueOf(0xffff_ffffL));
    for (int s = 0; s < 30; s++) {
      for (int e = s; e < 30; e++) {
        check(set, BigInteger.valueOf(s), BigInteger.valueOf(e), random);
      }
    }
    check(set, BigInteger.ZERO, BigInteger.valueOf(0xffff_ffffL), random);
    long[] out = new long[2];
    assertThat(set.maxFreeRank(0, 10, 0, 19, out)).isFalse();
    assertThat(set.freeAtRank(0, 0, 0, 29, 0, 10, out)).isTrue();
    assertThat(out).containsExactly(0, 20);
  }

  /** Every rank near the edges and a few random ones, and the rank past the last. */
  private static void check(IntervalSet set, BigInteger start, BigInteger end, Random random) {
    List<IpRange> occupied = set.toRanges(IpFamily.IPV6);
    BigInteger free = end.subtract(start).add(BigInteger.ONE);
    for (IpRange r : occupied) {
      BigInteger from = r.first().toBigInteger().max(start);
      BigInteger to = r.last().toBigInteger().min(end);
      if (from.compareTo(to) <= 0) {
        free = free.subtract(to.subtract(from).add(BigInteger.ONE));
      }
    }
    long[] out = new long[2];
    boolean any = set.maxFreeRank(hi(start), lo(start), hi(end), lo(end), out);
    String where = "[" + start.toString(16) + ", " + end.toString(16) + "] in " + occupied;
    assertThat(any).as(where).isEqualTo(free.signum() > 0);
    if (!any) {
      assertThat(rank(set, start, end, BigInteger.ZERO)).as(where).isNull();
      return;
    }
    assertThat(big(out[0], out[1])).as(where).isEqualTo(free.subtract(BigInteger.ONE));
    List<BigInteger> ranks =
        List.of(
            BigInteger.ZERO,
            BigInteger.ONE.min(free.subtract(BigInteger.ONE)),
            free.subtract(BigInteger.ONE),
            free.subtract(BigInteger.TWO).max(BigInteger.ZERO),
            new BigInteger(free.bitLength() + 8, random).mod(free),
            new BigInteger(free.bitLength() + 8, random).mod(free));
    for (BigInteger k : ranks) {
      assertThat(rank(set, start, end, k))
          .as(where + " rank " + k)
          .isEqualTo(expected(occupied, start, k));
    }
    if (free.compareTo(MAX) <= 0) {
      // (2^128 free values leave no rank past the last one to ask for.)
      assertThat(rank(set, start, end, free)).as(where + " rank past the last").isNull();
    }
  }

  private static BigInteger rank(IntervalSet set, BigInteger start, BigInteger end, BigInteger k) {
    long[] out = new long[2];
    return set.freeAtRank(hi(start), lo(start), hi(end), lo(end), hi(k), lo(k), out)
        ? big(out[0], out[1])
        : null;
  }

  /** The k-th free value from start, walking the gaps with BigInteger. */
  private static BigInteger expected(List<IpRange> occupied, BigInteger start, BigInteger k) {
    BigInteger cursor = start;
    for (IpRange r : occupied) {
      BigInteger from = r.first().toBigInteger();
      BigInteger to = r.last().toBigInteger();
      if (to.compareTo(cursor) < 0) {
        continue;
      }
      BigInteger gap = from.subtract(cursor).max(BigInteger.ZERO);
      if (k.compareTo(gap) < 0) {
        return cursor.add(k);
      }
      k = k.subtract(gap);
      cursor = to.add(BigInteger.ONE);
    }
    return cursor.add(k);
  }

  private static void add(IntervalSet set, BigInteger start, BigInteger end) {
    BigInteger e = end.min(MAX);
    set.add(hi(start), lo(start), hi(e), lo(e));
  }

  private static long hi(BigInteger value) {
    return value.shiftRight(64).longValue();
  }

  private static long lo(BigInteger value) {
    return value.longValue();
  }

  private static BigInteger big(long hi, long lo) {
    return new Ip(IpFamily.IPV6, hi, lo).toBigInteger();
  }
}
