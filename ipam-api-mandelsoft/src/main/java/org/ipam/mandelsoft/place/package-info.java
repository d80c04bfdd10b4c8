/** Where RoundRobin ranges place blocks (the engine's allocator places FirstMatch ones). */
package org.ipam.mandelsoft.place;
