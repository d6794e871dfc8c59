/** The burden figures of a case (definitions `lung-burden-v1`: see `shared/imaging/burden.ts`; volumes in mL, percentages of lung volume). */

/** Burden of one region. */
export interface RegionBurden {
  readonly lungVolumeMl: number;
  readonly ggoVolumeMl: number;
  readonly highOpacityVolumeMl: number;
  readonly lesionVolumeMl: number;
  /** Lesion / lung × 100 (0 when the region has no lung). */
  readonly burdenPercent: number;
  readonly ggoBurdenPercent: number;
  readonly highOpacityBurdenPercent: number;
}

export interface ZoneBurden {
  readonly upper: RegionBurden;
  readonly middle: RegionBurden;
  readonly lower: RegionBurden;
}

export interface BurdenResult extends RegionBurden {
  readonly right: RegionBurden;
  readonly left: RegionBurden;
  /** Both lungs, each cut into its own thirds. */
  readonly zones: ZoneBurden;
  readonly zonesByLung: { readonly right: ZoneBurden; readonly left: ZoneBurden };
  /** Percent of lesion voxels with HU ≥ −200 (Chaganti); null without lesions. */
  readonly highOpacityHuFraction: number | null;
  /** Lesion voxels outside the lung mask (not counted in the burden), mL. */
  readonly lesionOutsideLungMl: number;
  /** Version of these definitions. */
  readonly definitions: 'lung-burden-v1';
}
