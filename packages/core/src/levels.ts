/** Warden's ordinal sensitivity levels (STANDARDS.md §1). L5 is "important data"; core data is refused. */
export const LEVELS = ['L1', 'L2', 'L3', 'L4', 'L5'] as const;
export type Level = (typeof LEVELS)[number];

export function levelRank(level: Level): number {
  return LEVELS.indexOf(level) + 1;
}

export function isLevel(value: unknown): value is Level {
  return typeof value === 'string' && (LEVELS as readonly string[]).includes(value);
}

/** The higher of two levels (就高从严). */
export function maxLevel(a: Level, b: Level): Level {
  return levelRank(a) >= levelRank(b) ? a : b;
}

export function atLeast(level: Level, floor: Level): boolean {
  return levelRank(level) >= levelRank(floor);
}
