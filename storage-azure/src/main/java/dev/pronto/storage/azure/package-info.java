/**
 * Storage for models in Azure Blob Storage; see {@link dev.pronto.storage.azure.AzureStorageProvider}.
 */
package dev.pronto.storage.azure;
