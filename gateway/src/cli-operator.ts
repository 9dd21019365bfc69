/** The OS user running a CLI command: the actor of its audit events (`os:<user>`). */
import os from 'node:os';

export function operator(): string {
  try {
    return os.userInfo().username || 'unknown';
  } catch {
    return process.env.USER ?? 'unknown';
  }
}
