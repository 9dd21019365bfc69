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
// Defined in core so that mask can share them; still part of classify's API.
export { toHalfWidth, USCC_CHARSET } from '@warden/core';
