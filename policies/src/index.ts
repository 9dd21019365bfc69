import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The directory holding Warden's default policies (YAML) and their schemas. */
export const POLICIES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
