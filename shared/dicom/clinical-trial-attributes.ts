import { type NaturalDataset, textValue } from './dataset-values.ts';

/**
 * The DICOM Clinical Trial Subject / Study / Series attributes of an instance (PS3.3 C.7.1.3,
 * C.7.2.3, C.7.3.2), as stored and trimmed. A sponsor's imaging vendor writes them on
 * de-identification so that the core lab knows the protocol, site, subject and timepoint.
 */
export interface ClinicalTrialAttributes {
  /** Clinical Trial Sponsor Name (0012,0010). */
  readonly sponsorName: string;
  /** Clinical Trial Protocol ID (0012,0020). */
  readonly protocolId: string;
  /** Clinical Trial Protocol Name (0012,0021). */
  readonly protocolName: string;
  /** Clinical Trial Site ID (0012,0030). */
  readonly siteId: string;
  /** Clinical Trial Site Name (0012,0031). */
  readonly siteName: string;
  /** Clinical Trial Subject ID (0012,0040). */
  readonly subjectId: string;
  /** Clinical Trial Time Point ID (0012,0050), e.g. `BL`, `WEEK4`. */
  readonly timePointId: string;
  /** Clinical Trial Time Point Description (0012,0051), e.g. `Baseline`, `Follow-up 1`. */
  readonly timePointDescription: string;
}

const KEYWORDS: Readonly<Record<keyof ClinicalTrialAttributes, string>> = {
  sponsorName: 'ClinicalTrialSponsorName',
  protocolId: 'ClinicalTrialProtocolID',
  protocolName: 'ClinicalTrialProtocolName',
  siteId: 'ClinicalTrialSiteID',
  siteName: 'ClinicalTrialSiteName',
  subjectId: 'ClinicalTrialSubjectID',
  timePointId: 'ClinicalTrialTimePointID',
  timePointDescription: 'ClinicalTrialTimePointDescription',
};

/**
 * Reads the Clinical Trial attributes of a (dcmjs-naturalized) dataset; `undefined` when none of
 * them is present, so series outside a trial carry nothing.
 */
export function readClinicalTrialAttributes(ds: NaturalDataset): ClinicalTrialAttributes | undefined {
  const entries = Object.entries(KEYWORDS).map(([field, keyword]) => [field, textValue(ds, keyword)] as const);
  if (entries.every(([, v]) => v === '')) return undefined;
  return Object.fromEntries(entries) as unknown as ClinicalTrialAttributes;
}
