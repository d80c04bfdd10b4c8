package org.ipam.core.alloc;

/**
 * An existing allocation that could not be taken into the rebuilt pool ({@code kept == false}: it
 * clashes with one taken earlier) or that was taken although it breaks a rule ({@code kept ==
 * true}: for example it sits on an address pre-allocated to another owner). Nothing already
 * allocated is dropped silently.
 */
public record RebuildConflict(ExistingAllocation allocation, boolean kept, String reason) {}
