/** An IPPool's ranges as the allocator serves them, with upstream's defaults. */
package org.ipam.harvester.pool;
