/**
 * Only for this demonstration: the four tests wait for each other at named points, so that their steps
 * overlap in time (each worker locks out the same login while the others do). The repository's test of
 * this example (test/examples/playwright.test.ts) turns it on with $EXAMPLE_BARRIER_DIR, a fresh
 * directory; run by hand, there is none. Your tests need nothing like it: a tenant is isolated whatever
 * the timing.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'okta-apigee-sim/playwright';

export async function barrier(name: string, parties: number): Promise<void> {
  const dir = process.env.EXAMPLE_BARRIER_DIR;
  if (!dir) return;
  writeFileSync(join(dir, `${name}.${test.info().parallelIndex}`), '');
  await expect(() => {
    expect(readdirSync(dir).filter((file) => file.startsWith(`${name}.`)).length).toBe(parties);
  }).toPass({ intervals: [20], timeout: 20_000 });
}
