import { z } from 'zod';

/** A sha256 digest as 64 lower-case hex digits. */
export const Sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/);
