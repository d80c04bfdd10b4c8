/** A local kube-apiserver and etcd, for the controller's local mode and for tests. */
package org.ipam.core.localplane;
