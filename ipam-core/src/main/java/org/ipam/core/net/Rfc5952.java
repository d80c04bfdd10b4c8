package org.ipam.core.net;

/**
 * IPv6 text in the RFC 5952 canonical form: lower-case hex without leading zeros, the longest run
 * of two or more zero groups replaced by {@code ::} (the leftmost on a tie), and IPv4-mapped
 * addresses ({@code ::ffff:a.b.c.d}) with a dotted tail, as Go's netip prints them. {@code
 * Inet6Address.getHostAddress()} does none of this.
 */
final class Rfc5952 {
  private Rfc5952() {}

  static String format(long hi, long lo) {
    if (hi == 0 && (lo >>> 32) == 0xffffL) {
      return "::ffff:" + Ip.dotted(lo & 0xffffffffL);
    }
    int[] groups = new int[8];
    for (int i = 0; i < 4; i++) {
      groups[i] = (int) ((hi >>> (48 - 16 * i)) & 0xffff);
      groups[i + 4] = (int) ((lo >>> (48 - 16 * i)) & 0xffff);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int start = i;
      while (i < 8 && groups[i] == 0) {
        i++;
      }
      if (i - start > bestLength) {
        bestStart = start;
        bestLength = i - start;
      }
    }
    StringBuilder text = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        text.append("::");
        i += bestLength - 1;
        continue;
      }
      if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
        text.append(':');
      }
      text.append(Integer.toHexString(groups[i]));
    }
    return text.toString();
  }
}
