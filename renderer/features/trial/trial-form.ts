import type { FormField } from '../../ui/form-dialog.ts';
import { EMPTY_TRIAL_FIELDS, type TrialFields } from '../../../shared/trial/trial-info.ts';
import { defaultVisitOrder } from '../../../shared/trial/visit-order.ts';

/** The form fields of trial information, filled from `f`. */
export function trialFormFields(f: Partial<TrialFields>): FormField[] {
  return [
    { name: 'protocolId', label: 'Protocol ID', value: f.protocolId ?? '' },
    { name: 'siteId', label: 'Site ID', value: f.siteId ?? '' },
    { name: 'subjectId', label: 'Subject ID', value: f.subjectId ?? '' },
    { name: 'visitLabel', label: 'Visit (baseline, follow-up N, …)', value: f.visitLabel ?? '' },
    {
      name: 'visitOrder',
      label: 'Visit order (0 = baseline; empty: from the visit name)',
      value: f.visitOrder === null || f.visitOrder === undefined ? '' : String(f.visitOrder),
    },
    { name: 'visitDate', label: 'Visit date (YYYY-MM-DD; default the study date)', value: f.visitDate ?? '' },
    { name: 'sponsorName', label: 'Sponsor', value: f.sponsorName ?? '' },
    { name: 'visitDescription', label: 'Visit description', value: f.visitDescription ?? '' },
  ];
}

/**
 * Trial fields from the form's values on top of `base`; a clear error for a bad visit order or
 * date (the main process checks again). An empty visit order takes the order the visit name implies.
 */
export function trialFieldsFromForm(v: Record<string, string>, base: Partial<TrialFields> = {}): TrialFields {
  const text = (k: keyof TrialFields): string => (v[k] ?? String(base[k] ?? '')).trim();
  const orderText = (v['visitOrder'] ?? '').trim();
  if (orderText !== '' && !/^\d{1,3}$/.test(orderText))
    throw new Error('Visit order must be a whole number 0–999 (0 = baseline), or empty');
  const visitDate = text('visitDate');
  if (visitDate !== '' && !/^\d{4}-\d{2}-\d{2}$/.test(visitDate)) throw new Error('Visit date must be YYYY-MM-DD, or empty');
  const visitLabel = text('visitLabel');
  return {
    ...EMPTY_TRIAL_FIELDS,
    protocolId: text('protocolId'),
    sponsorName: text('sponsorName'),
    siteId: text('siteId'),
    subjectId: text('subjectId'),
    visitLabel,
    visitDescription: text('visitDescription'),
    visitDate,
    visitOrder: orderText === '' ? defaultVisitOrder(visitLabel) : Number(orderText),
  };
}
