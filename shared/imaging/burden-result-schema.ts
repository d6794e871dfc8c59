import { z } from 'zod';
import type { BurdenResult, RegionBurden, ZoneBurden } from './burden-result.ts';

/** zod 4 numbers exclude ±Infinity (and NaN) already. */
const finite = z.number();

const regionShape = {
  lungVolumeMl: finite,
  ggoVolumeMl: finite,
  highOpacityVolumeMl: finite,
  lesionVolumeMl: finite,
  burdenPercent: finite,
  ggoBurdenPercent: finite,
  highOpacityBurdenPercent: finite,
};
const RegionBurdenSchema: z.ZodType<RegionBurden> = z.object(regionShape);

const ZoneBurdenSchema: z.ZodType<ZoneBurden> = z.object({
  upper: RegionBurdenSchema,
  middle: RegionBurdenSchema,
  lower: RegionBurdenSchema,
});

/**
 * The stored burden record (JSON of a {@link BurdenResult}, definitions `lung-burden-v1`). The case
 * store reads every record through it once, so the store, the contract (`BurdenView`), the
 * reports, the SR and the renderer all hold the same typed object and never re-shape loose JSON.
 */
export const BurdenResultSchema: z.ZodType<BurdenResult> = z.object({
  ...regionShape,
  right: RegionBurdenSchema,
  left: RegionBurdenSchema,
  zones: ZoneBurdenSchema,
  zonesByLung: z.object({ right: ZoneBurdenSchema, left: ZoneBurdenSchema }),
  highOpacityHuFraction: finite.nullable(),
  lesionOutsideLungMl: finite,
  definitions: z.literal('lung-burden-v1'),
});

/** Parses a stored burden record; the first problem (path and message) when it is not a `lung-burden-v1` burden. */
export function parseBurdenResult(json: unknown): { ok: true; burden: BurdenResult } | { ok: false; problem: string } {
  const r = BurdenResultSchema.safeParse(json);
  if (r.success) return { ok: true, burden: r.data };
  const first = r.error.issues[0];
  return { ok: false, problem: first ? `${first.path.join('.') || 'record'}: ${first.message}` : 'not a burden record' };
}
