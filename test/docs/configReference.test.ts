import { expect, it } from 'vitest';
import { renderConfigReference } from './renderConfigReference.js';

// docs/configuration.md is generated from StreamsConfig's schema, so it cannot drift: when a setting is added
// or its description changes, this fails until the file is regenerated (`-u`).
it('docs/configuration.md matches StreamsConfig.schema()', async () => {
  await expect(renderConfigReference()).toMatchFileSnapshot('../../docs/configuration.md');
});
