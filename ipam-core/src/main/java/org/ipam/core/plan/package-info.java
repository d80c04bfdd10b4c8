/**
 * {@code ipam-controller plan}: what the controller would do with a set of YAML files, with no
 * cluster. This package reads the files ({@link PlanFiles}), hands each dialect the objects it
 * reads ({@link DialectPlanner}), allocates the way the engine would ({@link PoolSimulation}) and
 * gathers the answer ({@link PlanReport}). What every planner does alike with its objects is here
 * too: reading and judging them ({@link PlanReading}) and serving one pool's claims ({@link
 * PoolPlanning}). Each dialect contributes its planner through {@code DialectModule#planner()}; its
 * validation is its webhooks' own classes, never a copy.
 */
package org.ipam.core.plan;
