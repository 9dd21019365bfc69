import { createMongoAbility } from '@casl/ability';
import { levelRank } from '@warden/core';
import type { RolePolicy, RoleRule, WardenAbility } from './policy-types.js';

/**
 * Rules of one role as CASL data: its function-level abilities plus its
 * clearance turned into `clear` / `mask` rules on fields by level rank.
 */
export function roleRules(role: RolePolicy): RoleRule[] {
  return [
    ...role.rules,
    { action: 'clear', subject: 'Field', conditions: { rank: { $lte: levelRank(role.clearance.clear) } } },
    { action: 'mask', subject: 'Field', conditions: { rank: { $lte: levelRank(role.clearance.mask) } } },
  ];
}

export function compileAbility(roles: readonly RolePolicy[]): WardenAbility {
  return createMongoAbility(roles.flatMap(roleRules) as never) as WardenAbility;
}
