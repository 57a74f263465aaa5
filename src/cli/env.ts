/** Environment variables the command line reads (documented in the README). */

/** The Redis URL when --redis is not given: keeps its password out of `ps` and shell history. */
export const REDIS_URL_ENV = 'MEMGRID_REDIS_URL';
