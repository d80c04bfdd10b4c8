package org.ipam.mandelsoft.adapter;

import org.ipam.core.net.Cidr;
import org.ipam.core.net.IpRange;

/** Blocks as kubipam writes them: an aligned range is a CIDR ({@code /32} for one address). */
final class MandelsoftBlocks {
  private MandelsoftBlocks() {}

  /** The CIDR of an aligned block (what the allocator hands out and the ledger records). */
  static Cidr cidrOf(IpRange block) {
    int hostBits = block.size().bitLength() - 1;
    return new Cidr(block.first(), block.family().bits() - hostBits);
  }
}
