/** Day numbers (days since 1970-01-01, UTC) and their text forms, all relative to a fixed anchor. */

const MS_PER_DAY = 86_400_000;

export function dayOf(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

/** Synthetic data is "as of" this day: 2026-11-01. Nothing derives from the wall clock. */
export const ANCHOR_DAY = dayOf(2026, 11, 1);

const FIRST_CACHED = dayOf(1900, 1, 1);
const cache: string[] = [];

/** YYYY-MM-DD, cached (the generator formats millions of dates from a few tens of thousands of days). */
export function dayString(day: number): string {
  const i = day - FIRST_CACHED;
  let s = cache[i];
  if (s === undefined) {
    s = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    if (i >= 0 && i < 60_000) cache[i] = s;
  }
  return s;
}

export function yearOf(day: number): number {
  return Number(dayString(day).slice(0, 4));
}

/** A Beijing-time timestamptz literal. */
export function timestampString(day: number, secondOfDay: number): string {
  const h = Math.floor(secondOfDay / 3600);
  const m = Math.floor((secondOfDay % 3600) / 60);
  const s = secondOfDay % 60;
  return `${dayString(day)} ${pad2(h)}:${pad2(m)}:${pad2(s)}+08`;
}

export function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}
