export { generateTotpSecret, totpUri, totpQrSvg, verifyTotp, totpCode, totpStep, TOTP_PERIOD_SECONDS } from './totp.js';
export type { TotpCheck } from './totp.js';
export { hashPassword, verifyPassword, DUMMY_PASSWORD_HASH } from './password.js';
export { passwordProblems, isCommonPassword, generatePassword, PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH } from './password-policy.js';
