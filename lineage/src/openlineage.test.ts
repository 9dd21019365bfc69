import { describe, expect, it } from 'vitest';
import { datasetUrn, planRunEvent } from './openlineage.js';

describe('datasetUrn', () => {
  it.each([
    ['warden://enterprise', 'public.enterprises', 'urn:warden:enterprise:public.enterprises'],
    ['postgres://db:5432/investment', 'public.funds', 'urn:warden:investment:public.funds'],
    ['postgresql://db/policy', 'public.policies', 'urn:warden:policy:public.policies'],
    ['postgres://db:5432', 'enterprise.reports.risk', 'urn:warden:enterprise:reports.risk'],
  ])('maps %s + %s to %s', (namespace, name, urn) => {
    expect(datasetUrn(namespace, name)).toBe(urn);
  });

  it.each([
    ['s3://bucket', 'raw/file.csv'],
    ['postgres://db:5432/warehouse', 'public.t'],
    ['postgres://db:5432', 'warehouse.public.t'],
    ['bigquery', 'project.dataset.table'],
  ])('leaves %s + %s outside Warden', (namespace, name) => {
    expect(datasetUrn(namespace, name)).toBeUndefined();
  });

  it.each([
    ['warden://enterprise', 'enterprises'],
    ['warden://enterprise', 'Public.Enterprises'],
    ['warden://nowhere', 'public.t'],
    ['postgres://db/enterprise', 'a.b.c'],
  ])('refuses %s + %s, which claims a Warden store but names no table', (namespace, name) => {
    expect(datasetUrn(namespace, name)).toMatchObject({ reason: expect.any(String) });
  });
});

describe('planRunEvent', () => {
  const base = {
    eventTime: '2026-11-20T10:00:00Z',
    producer: 'p',
    schemaURL: 's',
    run: { runId: '0190C3A4-5B6D-7E8F-9A0B-1C2D3E4F5A6B' },
    job: { namespace: 'n', name: 'j' },
  };

  it('takes an event without datasets as nothing to write', () => {
    expect(planRunEvent(base)).toEqual({ nodes: [], edges: [], skipped: [] });
  });

  it('reads input fields without transformations as DIRECT/TRANSFORMATION, unmasked, with the run id in lower case', () => {
    const plan = planRunEvent({
      ...base,
      outputs: [
        {
          namespace: 'warden://enterprise',
          name: 'r.t',
          facets: {
            columnLineage: { fields: { a: { inputFields: [{ namespace: 'warden://enterprise', name: 'public.s', field: 'b' }] } } },
          },
        },
      ],
    });
    expect(plan).toMatchObject({
      edges: [
        {
          from: 'urn:warden:enterprise:public.s.b',
          to: 'urn:warden:enterprise:r.t.a',
          type: 'DIRECT',
          subtype: 'TRANSFORMATION',
          masking: false,
          runId: '0190c3a4-5b6d-7e8f-9a0b-1c2d3e4f5a6b',
        },
      ],
    });
  });

  it('names every schema problem', () => {
    const plan = planRunEvent({ ...base, eventTime: 'yesterday', run: { runId: 'x' }, job: {} });
    expect(plan).toHaveProperty('problems');
    const paths = 'problems' in plan ? plan.problems.map((p) => p.path) : [];
    expect(paths).toEqual(expect.arrayContaining(['/eventTime', '/run/runId', '/job']));
  });

  it('refuses a body that is no object', () => {
    expect(planRunEvent(null)).toHaveProperty('problems');
    expect(planRunEvent([])).toHaveProperty('problems');
  });
});
