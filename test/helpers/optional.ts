/**
 * Tests that need a tool outside npm (Debian's redis-server, chromium, numpy) skip where it is
 * missing, saying why. CI sets MEMGRID_REQUIRE_ALL=1 (see .ci/run): there a missing tool fails
 * the test file instead, so a failed install can never turn into a green run with tests skipped.
 */

/** True when missing tools fail instead of skipping (`MEMGRID_REQUIRE_ALL=1`). */
export const REQUIRE_ALL = process.env['MEMGRID_REQUIRE_ALL'] === '1';

/**
 * `available`, or throws when it is false under MEMGRID_REQUIRE_ALL=1.
 * @example
 * ```ts
 * describe.skipIf(!needs('redis-server', REDIS_SERVER !== undefined, 'apt-get install redis-server'))('queue', () => { ... });
 * ```
 */
export function needs(tool: string, available: boolean, install: string): boolean {
  if (!available && REQUIRE_ALL) throw new Error(`${tool} is missing and MEMGRID_REQUIRE_ALL=1 forbids skipping its tests (${install})`);
  return available;
}
