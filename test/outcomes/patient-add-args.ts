/** A patient's demographics as `scs patient add` takes them (every field it requires). */
export interface PatientAddFields {
  sex: string;
  age: string;
  location: string;
  side: string;
  'duration-months': string;
}

/**
 * The argv of `scs patient add --patient ID …` with a complete, valid set of demographics (F, 60 y,
 * T9, left, 12 months); `over` replaces any of them, e.g. a bad value for a refusal test.
 */
export function patientAddArgs(id: string, over: Partial<PatientAddFields> = {}): string[] {
  const fields: PatientAddFields = { sex: 'F', age: '60', location: 'T9', side: 'L', 'duration-months': '12', ...over };
  return [
    'patient',
    'add',
    '--patient',
    id,
    ...Object.entries(fields).flatMap(([flag, value]) => [`--${flag}`, value]),
  ];
}
