import { PDI_DOMAINS } from '../../diary/entry.js';

export const PDI_QUESTIONNAIRE_URL = 'https://scs-companion.example/fhir/Questionnaire/pain-disability-index';
export const PDI_QUESTIONNAIRE_VERSION = '1.0.0';
export const PDI_TOTAL_LINK_ID = 'pdi-total';

export function pdiDomainLinkId(index: number): string {
  return `pdi-${index + 1}`;
}

const SDC = 'http://hl7.org/fhir/StructureDefinition';

function range(min: number, max: number) {
  return [
    { url: `${SDC}/minValue`, valueInteger: min },
    { url: `${SDC}/maxValue`, valueInteger: max },
  ];
}

/**
 * The Pain Disability Index as a FHIR R4 Questionnaire (PDI has no LOINC panel): seven integer
 * items, one per domain, 0–10 each, and a read-only total 0–70 (their sum) for visits where only
 * the total was recorded. Shipped by the project; QuestionnaireResponses point at its canonical URL.
 */
export const PDI_QUESTIONNAIRE = {
  resourceType: 'Questionnaire',
  id: 'pain-disability-index',
  url: PDI_QUESTIONNAIRE_URL,
  version: PDI_QUESTIONNAIRE_VERSION,
  name: 'PainDisabilityIndex',
  title: 'Pain Disability Index (PDI)',
  status: 'active',
  subjectType: ['Patient'],
  description:
    'How much pain prevents the patient from doing what they would normally do, in seven domains, each rated 0 (no disability) to 10 (total disability); total 0–70.',
  item: [
    ...PDI_DOMAINS.map((domain, i) => ({
      linkId: pdiDomainLinkId(i),
      text: domain,
      type: 'integer',
      required: false,
      extension: range(0, 10),
    })),
    {
      linkId: PDI_TOTAL_LINK_ID,
      text: 'PDI total (sum of the seven domains)',
      type: 'integer',
      readOnly: true,
      extension: range(0, 70),
    },
  ],
} as const;
