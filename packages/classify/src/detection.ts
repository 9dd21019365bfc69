/** What a value detector reports: the type it recognised and how sure it is (0–1). */
export type ValueType = 'resident-id' | 'uscc' | 'mobile' | 'landline' | 'bank-card' | 'email' | 'person-name' | 'address' | 'plate';

/** Warning flags a detection may carry: the value is still of its type. */
export type DetectionWarning = 'ORG_CODE_CHECK_FAILED' | 'LEGACY_RESIDENT_ID';

export interface Detection {
  type: ValueType;
  confidence: number;
  warnings?: readonly DetectionWarning[];
}

/** A pure function from one cell value to a detection, or undefined when the value is not of its type. */
export type Detector = (value: string) => Detection | undefined;

/** Frozen results shared by every call, so that a hit allocates nothing. */
export function detection(type: ValueType, confidence: number, warnings?: readonly DetectionWarning[]): Detection {
  return Object.freeze(warnings ? { type, confidence, warnings: Object.freeze([...warnings]) } : { type, confidence });
}
