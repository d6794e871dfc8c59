import { UserError } from '../../../shared/errors/user-error.ts';

/** Error raised for requests the store refuses (unknown case, frozen version, …). */
export class CaseStoreError extends UserError {
  constructor(
    override readonly code: 'not-found' | 'invalid' | 'conflict',
    message: string,
  ) {
    super(code, code, message);
    this.name = 'CaseStoreError';
  }
}
