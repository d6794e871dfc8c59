/** Branded identifiers: a `CaseId` cannot be passed where a `SeriesId` is expected. */
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type PatientId = Brand<number, 'PatientId'>;
export type StudyId = Brand<number, 'StudyId'>;
export type SeriesId = Brand<number, 'SeriesId'>;
export type CaseId = Brand<number, 'CaseId'>;
export type LabelVersionId = Brand<number, 'LabelVersionId'>;

export const asCaseId = (n: number): CaseId => n as CaseId;
export const asSeriesId = (n: number): SeriesId => n as SeriesId;
export const asLabelVersionId = (n: number): LabelVersionId => n as LabelVersionId;
