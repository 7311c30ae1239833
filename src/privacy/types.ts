/** Contract of the anonymiser (implementation: src/privacy/index.ts). Pure: no botbuilder, no HTTP. */
export const FINDING_TYPES = [
  'BSN', 'POSTCODE', 'ADRES', 'TELEFOON', 'EMAIL', 'URL', 'IBAN', 'DATUM', 'LEEFTIJD', 'ID', 'NAAM', 'INSTELLING',
] as const;
export type FindingType = (typeof FINDING_TYPES)[number];

/** One detected identifier; offsets are UTF-16 code unit offsets into the input, end exclusive. */
export interface Finding {
  type: FindingType;
  start: number;
  end: number;
}

export interface AnonymiseResult {
  /** Text with each finding replaced by its typed placeholder, e.g. `[NAAM]`, `[BSN]`. */
  text: string;
  findings: Finding[];
}
