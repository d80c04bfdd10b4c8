/**
 * Validating admission webhooks: the seam a dialect implements ({@link
 * org.ipam.core.webhook.AdmissionValidator}) and the AdmissionReview handling every dialect shares
 * ({@link org.ipam.core.webhook.AdmissionReviews}). The controller serves them over HTTPS.
 */
package org.ipam.core.webhook;
