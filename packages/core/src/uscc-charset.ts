/**
 * The 31 characters a unified social credit code (GB 32100-2015) may use — no
 * I, O, S, V, Z — in check-value order. Shared by classify's validator and
 * mask's `uscc` rule.
 */
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
