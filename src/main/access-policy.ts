import type { Access } from '../shared/contract';
import { isAdminRole } from '../shared/domain';
import { SETUP_REQUIRED_MESSAGE, type ErrorBody } from '../shared/errors';
import type { ResolvedSession } from './auth/auth.service';

const NOT_SIGNED_IN: ErrorBody = { code: 'UNAUTHENTICATED', message: 'Sign in to continue.' };

/** Why `caller` may not make a call that needs `access`, or null if it may. */
export function accessDenial(access: Access, caller: ResolvedSession): ErrorBody | null {
  const { state, user } = caller;
  switch (access) {
    case 'anonymous':
      return null;
    case 'secondFactorPending':
      if (state === 'second_factor_required') return null;
      return state === 'signed_out'
        ? NOT_SIGNED_IN
        : { code: 'CONFLICT', message: 'No second factor is pending for this session.' };
    case 'setupPending':
      return state === 'signed_in' || state === 'setup_required' ? null : NOT_SIGNED_IN;
    case 'member':
    case 'admin':
      if (state === 'setup_required') {
        return { code: 'TWO_FACTOR_SETUP_REQUIRED', message: SETUP_REQUIRED_MESSAGE };
      }
      if (state !== 'signed_in' || !user) return NOT_SIGNED_IN;
      if (access === 'admin' && !isAdminRole(user.role)) {
        return {
          code: 'FORBIDDEN',
          message: 'Only Site Admins and Enterprise Admins may do this.',
        };
      }
      return null;
  }
}
