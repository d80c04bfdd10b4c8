/**
 * The kubipam dialect's reconcilers and its binding to the engine: ranges as pools committed in
 * their ledger, requests as claims.
 */
package org.ipam.mandelsoft.adapter;
