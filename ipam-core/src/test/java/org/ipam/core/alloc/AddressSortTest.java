package org.ipam.core.alloc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.ipam.core.net.U128;
import org.junit.jupiter.api.Test;

class AddressSortTest {

  @Test
  void sortsByUnsigned128BitStartAndKeepsInputOrderForEqualStarts() {
    Random random = new Random(3);
    int n = 5_000;
    AddressSort.Columns columns = new AddressSort.Columns(n);
    for (int i = 0; i < n; i++) {
      // Few distinct values per half, negative ones included, so ties and the unsigned order of
      // the top bit are both exercised.
      columns.startHi[i] = random.nextInt(4) == 0 ? -1L - random.nextInt(3) : random.nextInt(3);
      columns.startLo[i] = random.nextBoolean() ? random.nextLong() : random.nextInt(50);
      columns.endHi[i] = columns.startHi[i];
      columns.endLo[i] = columns.startLo[i] + i;
      columns.input[i] = i;
    }
    long[][] before = {
      columns.startHi.clone(), columns.startLo.clone(), columns.endLo.clone(),
    };
    Integer[] expected = new Integer[n];
    Arrays.setAll(expected, i -> i);
    // Arrays.sort on objects is stable: the reference order.
    Arrays.sort(
        expected, (a, b) -> U128.compare(before[0][a], before[1][a], before[0][b], before[1][b]));

    AddressSort.byStart(columns);

    for (int k = 0; k < n; k++) {
      int input = expected[k];
      assertThat(columns.input[k]).as("position %d", k).isEqualTo(input);
      assertThat(columns.startHi[k]).isEqualTo(before[0][input]);
      assertThat(columns.startLo[k]).isEqualTo(before[1][input]);
      assertThat(columns.endLo[k]).isEqualTo(before[2][input]);
    }
  }

  @Test
  void leavesKeysThatShareEveryByteAlone() {
    AddressSort.Columns columns = new AddressSort.Columns(3);
    Arrays.fill(columns.startLo, 7);
    columns.input = new int[] {0, 1, 2};
    AddressSort.byStart(columns);
    assertThat(columns.input).containsExactly(0, 1, 2);
  }
}
