/** The outcome of a store call as a code: 'ok', the WardenError's code, or the text of anything else. */
import { isWardenError } from '@warden/core';

export async function outcomeCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return isWardenError(e) ? e.code : String(e);
  }
}
