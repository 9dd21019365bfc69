export {
  residentIdCheckChar,
  isValidResidentId,
  normaliseResidentId,
  convertLegacyResidentId,
  residentIdBirthDate,
  PROVINCE_CODES,
} from './resident-id.js';
export { usccCheckChar, isValidUscc, normaliseUscc, organisationCodeCheckChar, checkUsccOrganisationCode, USCC_CHARSET } from './uscc.js';
export { luhnCheckDigit, isValidLuhn } from './luhn.js';
export { isValidMobile, normaliseMobile } from './mobile.js';
export { toHalfWidth } from './to-half-width.js';
