import type { QcFlag, ScanQcInput } from '../qc-flag.ts';

/** Values of ContrastBolusAgent that mean "no contrast given". */
const NO_CONTRAST = /^(none|no|non[- ]?contrast|nil|n\/a|-)$/i;

/** Contrast phase if tagged: contrast raises vessel and tissue HU, so high-opacity figures differ. */
export function checkContrast(input: ScanQcInput): QcFlag[] {
  const agent = (input.acquisition?.contrastBolusAgent ?? '').trim();
  if (!agent || NO_CONTRAST.test(agent)) return [];
  return [
    {
      code: 'contrast',
      severity: 'info',
      message: `Contrast-enhanced scan (ContrastBolusAgent "${agent.slice(0, 64)}"): enhanced vessels and tissue read brighter, so high-opacity volume and the dense-lesion fraction are not comparable with non-contrast scans.`,
    },
  ];
}
