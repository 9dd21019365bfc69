/**
 * What an access request or break-glass names: URN patterns over the known
 * column labels. Pure. A pattern must be well formed, name one of the three
 * stores, match at least one L3+ column, and match no core data (核心数据) and
 * no secret: those are never granted. The request's level is the highest
 * level any pattern matches (就高从严).
 */
import { atLeast, type Label, type Level, maxLevel, STORES } from '@warden/core';
import { urnPatternToRegExp } from './grant-match.js';

export const MAX_PATTERNS = 50;
const MAX_PATTERN_LENGTH = 200;
const PATTERN = new RegExp(`^urn:warden:(?:${STORES.join('|')}):[a-z0-9_*]+(?:\\.[a-z0-9_*]+){0,2}$`);

export type PatternResult = { ok: true; level: Level; urns: string[] } | { ok: false; reason: string };

/** Why a single pattern is malformed, or undefined. */
export function patternSyntaxProblem(pattern: string): string | undefined {
  if (pattern.length > MAX_PATTERN_LENGTH) return `${pattern.slice(0, 40)}… is longer than ${MAX_PATTERN_LENGTH} characters`;
  if (!PATTERN.test(pattern) || pattern.includes('***'))
    return `${pattern} is not a URN pattern urn:warden:<enterprise|policy|investment>:<schema>.<table>.<column> (with * or **)`;
  return undefined;
}

/** Resolves patterns against the labels: the matched column URNs and their highest level, or why not. */
export function resolvePatterns(patterns: readonly string[], labels: Iterable<Label>): PatternResult {
  if (!Array.isArray(patterns) || patterns.length === 0) return { ok: false, reason: 'at least one URN pattern is needed' };
  if (patterns.length > MAX_PATTERNS) return { ok: false, reason: `at most ${MAX_PATTERNS} patterns` };
  if (new Set(patterns).size !== patterns.length) return { ok: false, reason: 'a pattern is listed twice' };
  for (const p of patterns) {
    const problem = typeof p === 'string' ? patternSyntaxProblem(p) : 'a pattern must be a string';
    if (problem) return { ok: false, reason: problem };
  }
  const all = [...labels];
  const urns = new Set<string>();
  let level: Level | undefined;
  for (const p of patterns) {
    const re = urnPatternToRegExp(p);
    const hits = all.filter((l) => re.test(l.urn));
    const refused = hits.find((l) => l.core || l.secret);
    if (refused)
      return { ok: false, reason: `${p} matches ${refused.core ? 'core data' : 'a secret'} (${refused.urn}), which is never granted` };
    const sensitive = hits.filter((l) => atLeast(l.level, 'L3'));
    if (!sensitive.length) return { ok: false, reason: `${p} matches no known L3+ column` };
    for (const l of sensitive) {
      urns.add(l.urn);
      level = level ? maxLevel(level, l.level) : l.level;
    }
  }
  return { ok: true, level: level as Level, urns: [...urns].sort() };
}
