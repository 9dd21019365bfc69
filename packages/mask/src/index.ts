export { compileMask } from './compile-mask.js';
export type { CompiledMask, MaskOptions } from './compile-mask.js';
export { maskValue } from './mask-value.js';
export { validateMaskRule } from './validate-mask-rule.js';
export { REDACTED } from './redaction.js';
