/**
 * The one controller binary: adapter loading, the Java Operator SDK operator, leader election, the
 * webhook server, health and metrics, and local mode.
 */
package org.ipam.controller;
