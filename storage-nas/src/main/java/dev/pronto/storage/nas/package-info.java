/**
 * Storage for models in local and mounted folders; see {@link dev.pronto.storage.nas.NasStorageProvider}.
 */
package dev.pronto.storage.nas;
