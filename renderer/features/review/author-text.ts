import type { LabelVersionInfo } from '../../../shared/domain/case.ts';

/** Who made a label version, as the version lists show it (AI model and version, algorithm, or reader). */
export const authorText = (v: LabelVersionInfo): string =>
  v.author.kind === 'model'
    ? `AI ${v.author.modelName ?? v.author.name}${v.author.modelVersion ? ` ${v.author.modelVersion}` : ''}`
    : v.author.kind === 'algorithm'
      ? `algorithm ${v.author.name}`
      : v.author.name;
