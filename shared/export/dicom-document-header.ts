import type { SeriesMetadata } from '../dicom/types.ts';

/**
 * A DICOM string value made safe for a short VR: backslashes (the value separator) and control
 * characters become spaces, cut to `max` characters.
 */
export const ident = (s: string, max: number): string => s.replace(/[\\\u0000-\u001f]/g, ' ').slice(0, max);

/** The source's Study Time (TM) when well-formed, else empty (type 2): the object joins the same study. */
export const studyTimeOf = (tm: string): string => {
  const t = tm.trim().replaceAll(':', '');
  return /^\d{2}(\d{2}(\d{2}(\.\d{1,6})?)?)?$/.test(t) ? t : '';
};

/**
 * The attributes every derived document of the workstation (DICOM SR, Encapsulated PDF) copies
 * from its source CT series, so it joins the same patient and study as a new series of one
 * instance: patient, study, a new series UID, the equipment's model and software version.
 */
export function documentPatientStudySeries(
  source: SeriesMetadata,
  o: { readonly softwareVersion: string; readonly newUid: () => string; readonly seriesNumber: number },
): Record<string, unknown> {
  return {
    ManufacturerModelName: 'Lung Burden workstation',
    SoftwareVersions: ident(o.softwareVersion, 64),
    PatientName: [{ Alphabetic: source.patientName }],
    PatientID: ident(source.patientId, 64),
    PatientBirthDate: source.patientBirthDate,
    PatientSex: ['M', 'F', 'O'].includes(source.patientSex) ? source.patientSex : '',
    StudyInstanceUID: source.studyInstanceUid,
    SeriesInstanceUID: o.newUid(),
    StudyID: ident(source.studyId ?? '', 16),
    SeriesNumber: o.seriesNumber,
    InstanceNumber: 1,
  };
}
