import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The project's fixtures. */
export const FIXTURE_ROOT = join(here, 'fixtures');
/** The project's copy of the reference TsFiles. */
export const FIXTURE_DIR = join(FIXTURE_ROOT, 'tsfile');
/** The shared reference set beside the project, when present (it may hold newer fixtures). */
export const SHARED_FIXTURE_DIR = join(here, '..', '..', 'shared', 'fixtures', 'tsfile');

export interface Fixture {
  readonly name: string;
  readonly tsfile: string;
  readonly csv: string;
  readonly schema: string;
  /**
   * The points as written (`NAME.input.csv`) when the reference reads back other values
   * than were written (RLBE's summed rounding, SPRINTZ's overflow); otherwise `csv`.
   */
  readonly input: string;
}

/** Every `NAME.tsfile` with its `.csv` and `.schema.json`, shared ones taking precedence. */
export function referenceFixtures(): Fixture[] {
  const byName = new Map<string, Fixture>();
  for (const dir of [FIXTURE_DIR, SHARED_FIXTURE_DIR]) {
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir)) {
      if (!file.endsWith('.tsfile')) continue;
      const name = file.slice(0, -'.tsfile'.length);
      byName.set(name, {
        name,
        tsfile: join(dir, file),
        csv: join(dir, `${name}.csv`),
        schema: join(dir, `${name}.schema.json`),
        input: existsSync(join(dir, `${name}.input.csv`)) ? join(dir, `${name}.input.csv`) : join(dir, `${name}.csv`),
      });
    }
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}
