/**
 * The webhooks every dialect shares: the validating seam a dialect implements ({@link
 * org.ipam.core.webhook.AdmissionValidator}, CREATE and UPDATE, and DELETE where it judges deletes)
 * with the AdmissionReview handling ({@link org.ipam.core.webhook.AdmissionReviews}); the
 * conversion seam for dialects that serve two versions of a kind ({@link
 * org.ipam.core.webhook.ConversionHandler}) with the ConversionReview handling ({@link
 * org.ipam.core.webhook.ConversionReviews}); and the one form of a problem line ({@link
 * org.ipam.core.webhook.FieldProblems}). The controller serves them over HTTPS.
 */
package org.ipam.core.webhook;
