import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CompiledPolicies, loadPolicies } from '@warden/access';

/** The directory holding Warden's default policies (YAML) and their schemas. */
export const POLICIES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Loads a policies directory (the shipped one by default), always validated
 * against Warden's own JSON Schemas: a policies directory cannot loosen its
 * own validation.
 */
export function loadWardenPolicies(dir: string = POLICIES_DIR): Promise<CompiledPolicies> {
  return loadPolicies(dir, { schemaDir: path.join(POLICIES_DIR, 'schema') });
}
