export {
  residentIdCheckChar,
  isValidResidentId,
  normaliseResidentId,
  convertLegacyResidentId,
  residentIdBirthDate,
  PROVINCE_CODES,
} from './resident-id.js';
export { usccCheckChar, isValidUscc, normaliseUscc, organisationCodeCheckChar, checkUsccOrganisationCode } from './uscc.js';
export { luhnCheckDigit, isValidLuhn } from './luhn.js';
export { isValidMobile, normaliseMobile } from './mobile.js';
export type { Detection, DetectionWarning, Detector, ValueType } from './detection.js';
export { detectResidentId, detectUscc, detectBankCard } from './detect-identifiers.js';
export { detectMobile, detectLandline, detectEmail } from './detect-contact.js';
export { detectPersonName, detectAddress, detectPlate } from './detect-text.js';
export { classifyValue } from './classify-value.js';
export { hintColumnName } from './column-hints.js';
export type { ColumnHint } from './column-hints.js';
export { generateLabelledCorpus } from './labelled-corpus.js';
export type { LabelledValue } from './labelled-corpus.js';
// Defined in core so that mask can share it; still part of classify's API (the seed data uses it).
export { USCC_CHARSET } from '@warden/core';
