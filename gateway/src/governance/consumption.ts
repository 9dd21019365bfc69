/**
 * The fields a governed read delivered, for consumption lineage: every
 * selected field with an APPROVED label (all levels — lineage answers "who
 * received this field" for L1 as for L4) served in clear or masked. Denied
 * fields were not received; fields used only as filters were not delivered;
 * unlabelled or unapproved ones are denied by the plan anyway. Computed once
 * per plan (plans are cached), so the per-request cost is a map lookup.
 */
import type { ReceivedField } from '@warden/lineage';
import type { DisclosurePlan } from './disclosure-plan.js';

const received = new WeakMap<DisclosurePlan, readonly ReceivedField[]>();

export function receivedFields(plan: DisclosurePlan): readonly ReceivedField[] {
  let fields = received.get(plan);
  if (!fields) {
    fields = [...plan.fields.values()].flatMap((f) => {
      if (f.level === undefined || f.decision.action === 'DENY') return [];
      const typeName = f.coordinate.slice(0, f.coordinate.indexOf('.'));
      const column = f.urn.slice(f.urn.lastIndexOf('.') + 1);
      // Fetched columns are the selected, undenied ones (and always id: an id used only as a filter counts too).
      if (!plan.columns.get(typeName)?.includes(column)) return [];
      return [{ urn: f.urn, disclosure: f.decision.action }];
    });
    const seen = new Set<string>();
    fields = fields.filter((f) => {
      const key = `${f.urn} ${f.disclosure}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    received.set(plan, fields);
  }
  return fields;
}
