export { createCacheMetrics, createReadThroughCache, type CacheMetrics, type ReadThroughCache } from './cache.js';
export { createCacheInvalidation, type CacheInvalidation } from './invalidation.js';
