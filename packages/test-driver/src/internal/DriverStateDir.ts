import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Topology } from '@tributary/dsl';

/**
 * The state directory a TopologyTestDriver gives its tasks (persistent stores such as RocksDB keep their files
 * under it): the config's `stateDir`, kept after close; else, when the topology has stores, a new temporary
 * `tributary-driver-*` directory, deleted with its contents by `remove()`.
 */
export class DriverStateDir {
  private constructor(
    readonly path: string | undefined,
    private readonly owned: boolean,
  ) {}

  static open(given: string | undefined, topology: Topology): DriverStateDir {
    if (given !== undefined) return new DriverStateDir(given, false);
    if (topology.storeBuilders.size === 0 && topology.globalStores.length === 0) {
      return new DriverStateDir(undefined, false);
    }
    return new DriverStateDir(mkdtempSync(join(tmpdir(), 'tributary-driver-')), true);
  }

  /** Deletes the directory if the driver made it; a directory from the config is left alone. */
  remove(): void {
    if (this.owned && this.path !== undefined) rmSync(this.path, { recursive: true, force: true });
  }
}
