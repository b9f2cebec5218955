/**
 * Certificates for the front door: from an ACME CA (HTTP-01 answered by the front door itself)
 * or from files, installed as one private file per project environment and read back from it.
 */
@NullMarked
package dev.reconcile.providers.tls;

import org.jspecify.annotations.NullMarked;
