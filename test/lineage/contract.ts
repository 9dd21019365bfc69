/**
 * The LineageStore contract: every backend passes the same cases. Each case
 * works in an asset source of its own, so cases never see each other's graph.
 */
import { randomBytes } from 'node:crypto';
import { type AssetUrn, columnUrn, isWardenError, tableUrn } from '@warden/core';
import { type LineageEdge, type LineageHop, type LineageStore, uuidv7 } from '@warden/lineage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

export interface LineageStoreHandle {
  store: LineageStore;
  /** Releases what the factory opened (the store too). */
  dispose(): Promise<void>;
}

function freshSource(): { field(name: string): AssetUrn; table(name: string): AssetUrn } {
  const source = `l${randomBytes(5).toString('hex')}`;
  return { field: (name) => columnUrn(source, 'dw', 't', name), table: (name) => tableUrn(source, 'dw', name) };
}

function flow(from: AssetUrn, to: AssetUrn, over: Partial<LineageEdge> = {}): LineageEdge {
  return { from, to, type: 'DIRECT', subtype: 'IDENTITY', masking: false, ...over };
}

/** from→to@depth, sorted, for comparing walks. */
function hops(list: readonly LineageHop[]): string[] {
  return list.map((h) => `${h.from.split('.').pop()}->${h.to.split('.').pop()}@${h.depth}`).sort();
}

async function expectInvalid(work: Promise<unknown>, argument: string): Promise<void> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isWardenError(error) && error.code).toBe('INVALID_ARGUMENT');
  expect(isWardenError(error) && error.params.argument).toBe(argument);
}

export function describeLineageContract(backend: string, open: () => Promise<LineageStoreHandle>): void {
  describe(`LineageStore contract on ${backend}`, () => {
    let handle: LineageStoreHandle;
    let store: LineageStore;
    beforeAll(async () => {
      handle = await open();
      store = handle.store;
    });
    afterAll(async () => {
      await handle?.dispose();
    });

    it('re-sending the same nodes and edges leaves one of each', async () => {
      const s = freshSource();
      const [a, b] = [s.field('a'), s.field('b')];
      const runId = uuidv7();
      const edge = flow(a, b, { job: { namespace: 'etl', name: 'load_t' }, runId });
      await store.upsertNodes([{ urn: a, kind: 'FIELD' }]);
      await store.upsertNodes([{ urn: a, kind: 'FIELD' }]);
      await store.upsertEdges([edge, edge]);
      await store.upsertEdges([edge]);
      expect(await store.downstream(a, 3)).toEqual([{ ...edge, depth: 1 }]);
    });

    it('a re-sent edge updates its masking flag and run, and keeps one row', async () => {
      const s = freshSource();
      const [a, b] = [s.field('a'), s.field('b')];
      await store.upsertEdges([flow(a, b, { subtype: 'TRANSFORMATION', job: { namespace: 'etl', name: 'j' }, runId: uuidv7() })]);
      const later = uuidv7();
      await store.upsertEdges([flow(a, b, { subtype: 'TRANSFORMATION', masking: true, runId: later })]);
      const [only, ...rest] = await store.downstream(a, 1);
      expect(rest).toEqual([]);
      expect(only).toMatchObject({ masking: true, runId: later, job: { namespace: 'etl', name: 'j' } });
    });

    it('edges of different transformation subtypes between the same fields are kept apart', async () => {
      const s = freshSource();
      const [a, b] = [s.field('a'), s.field('b')];
      await store.upsertEdges([flow(a, b), flow(a, b, { type: 'INDIRECT', subtype: 'FILTER' })]);
      const walked = await store.downstream(a, 1);
      expect(walked.map((h) => `${h.type}/${h.subtype}`)).toEqual(['DIRECT/IDENTITY', 'INDIRECT/FILTER']);
    });

    it('walks a chain downstream and upstream at depth 1, 2 and n', async () => {
      const s = freshSource();
      const [a, b, c, d, e] = ['a', 'b', 'c', 'd', 'e'].map(s.field) as [AssetUrn, AssetUrn, AssetUrn, AssetUrn, AssetUrn];
      await store.upsertEdges([flow(a, b), flow(b, c), flow(c, d), flow(d, e)]);
      expect(hops(await store.downstream(a, 1))).toEqual(['a->b@1']);
      expect(hops(await store.downstream(a, 2))).toEqual(['a->b@1', 'b->c@2']);
      expect(hops(await store.downstream(a, 10))).toEqual(['a->b@1', 'b->c@2', 'c->d@3', 'd->e@4']);
      expect(hops(await store.upstream(e, 1))).toEqual(['d->e@1']);
      expect(hops(await store.upstream(e, 2))).toEqual(['c->d@2', 'd->e@1']);
      expect(hops(await store.upstream(e, 10))).toEqual(['a->b@4', 'b->c@3', 'c->d@2', 'd->e@1']);
      expect(hops(await store.walk(c, 'UPSTREAM', 1))).toEqual(['b->c@1']);
      expect(hops(await store.walk(c, 'DOWNSTREAM', 1))).toEqual(['c->d@1']);
    });

    it('reports each edge of a diamond once, at its least depth', async () => {
      const s = freshSource();
      const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(s.field) as [AssetUrn, AssetUrn, AssetUrn, AssetUrn];
      await store.upsertEdges([flow(a, b), flow(a, c), flow(b, d), flow(c, d), flow(a, d, { subtype: 'AGGREGATION' })]);
      expect(hops(await store.downstream(a, 3))).toEqual(['a->b@1', 'a->c@1', 'a->d@1', 'b->d@2', 'c->d@2']);
    });

    it('links tables and fields alike', async () => {
      const s = freshSource();
      const [src, report] = [s.table('src'), s.table('report')];
      await store.upsertNodes([
        { urn: src, kind: 'DATASET' },
        { urn: report, kind: 'DATASET' },
      ]);
      await store.upsertEdges([flow(src, report, { type: 'INDIRECT', subtype: 'JOIN' })]);
      expect(await store.upstream(report, 1)).toEqual([{ ...flow(src, report, { type: 'INDIRECT', subtype: 'JOIN' }), depth: 1 }]);
    });

    it('a cycle terminates and each of its edges comes back once', async () => {
      const s = freshSource();
      const [a, b, c] = ['a', 'b', 'c'].map(s.field) as [AssetUrn, AssetUrn, AssetUrn];
      await store.upsertEdges([flow(a, b), flow(b, c), flow(c, a), flow(b, b, { subtype: 'TRANSFORMATION' })]);
      expect(hops(await store.downstream(a, 20))).toEqual(['a->b@1', 'b->b@2', 'b->c@2', 'c->a@3']);
      expect(hops(await store.upstream(a, 20))).toEqual(['a->b@3', 'b->b@3', 'b->c@2', 'c->a@1']);
    });

    it('never reports an edge beyond the depth limit', async () => {
      const s = freshSource();
      const names = Array.from({ length: 8 }, (_, i) => s.field(`n${i}`));
      await store.upsertEdges(names.slice(1).map((to, i) => flow(names[i] as AssetUrn, to)));
      const walked = await store.downstream(names[0] as AssetUrn, 3);
      expect(walked.map((h) => h.depth)).toEqual([1, 2, 3]);
      expect(walked.map((h) => h.to)).toEqual(names.slice(1, 4));
    });

    it('finds the shortest path between two assets, with every edge along it', async () => {
      const s = freshSource();
      const [a, b, c, d, x] = ['a', 'b', 'c', 'd', 'x'].map(s.field) as [AssetUrn, AssetUrn, AssetUrn, AssetUrn, AssetUrn];
      await store.upsertEdges([
        flow(a, b),
        flow(b, c),
        flow(c, d),
        flow(a, x),
        flow(x, d),
        flow(x, d, { type: 'INDIRECT', subtype: 'JOIN' }),
      ]);
      const path = await store.path(a, d, 5);
      expect(path?.nodes).toEqual([a, x, d]);
      expect(path?.edges.map((e) => `${e.from.split('.').pop()}->${e.to.split('.').pop()} ${e.subtype}`)).toEqual([
        'a->x IDENTITY',
        'x->d IDENTITY',
        'x->d JOIN',
      ]);
      expect((await store.path(b, d, 2))?.nodes).toEqual([b, c, d]);
    });

    it('finds no path against the flow or beyond the depth', async () => {
      const s = freshSource();
      const [a, b, c] = ['a', 'b', 'c'].map(s.field) as [AssetUrn, AssetUrn, AssetUrn];
      await store.upsertEdges([flow(a, b), flow(b, c)]);
      expect(await store.path(c, a, 5)).toBeUndefined();
      expect(await store.path(a, c, 1)).toBeUndefined();
      expect((await store.path(a, c, 2))?.nodes).toEqual([a, b, c]);
    });

    it('an unknown asset has no lineage and no path', async () => {
      const s = freshSource();
      expect(await store.downstream(s.field('nowhere'), 5)).toEqual([]);
      expect(await store.upstream(s.table('nowhere'), 5)).toEqual([]);
      expect(await store.path(s.field('nowhere'), s.field('elsewhere'), 5)).toBeUndefined();
    });

    it('a depth that is not an integer from 1 to 20 is INVALID_ARGUMENT', async () => {
      const s = freshSource();
      const a = s.field('a');
      for (const depth of [0, -1, 1.5, 21, Number.NaN]) {
        await expectInvalid(store.downstream(a, depth), 'depth');
        await expectInvalid(store.upstream(a, depth), 'depth');
        await expectInvalid(store.path(a, s.field('b'), depth), 'depth');
      }
      await expect(store.downstream(a, 20)).resolves.toEqual([]);
    });

    it('a batch with one invalid edge is INVALID_ARGUMENT and writes nothing', async () => {
      const s = freshSource();
      const [a, b, c] = ['a', 'b', 'c'].map(s.field) as [AssetUrn, AssetUrn, AssetUrn];
      const bad = { ...flow(b, c), subtype: 'JOIN' } as unknown as LineageEdge;
      await expectInvalid(store.upsertEdges([flow(a, b), bad]), 'subtype');
      await expectInvalid(store.upsertEdges([flow(a, 'urn:other:x' as AssetUrn)]), 'to');
      await expectInvalid(store.upsertEdges([flow(a, b, { runId: 'run-1' })]), 'runId');
      await expectInvalid(store.upsertNodes([{ urn: a, kind: 'DATASET' }]), 'kind');
      expect(await store.downstream(a, 5)).toEqual([]);
    });

    it('a walk from something that is not an asset URN is INVALID_ARGUMENT', async () => {
      await expectInvalid(store.downstream('not-a-urn' as AssetUrn, 1), 'urn');
      await expectInvalid(store.walk(freshSource().field('a'), 'SIDEWAYS' as 'UPSTREAM', 1), 'direction');
    });
  });
}
