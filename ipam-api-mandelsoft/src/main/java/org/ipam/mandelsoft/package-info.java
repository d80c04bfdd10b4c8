/** kubipam dialect: ipam.mandelsoft.org/v1alpha1 IPAMRange and IPAMRequest with chunk sizes. */
package org.ipam.mandelsoft;
