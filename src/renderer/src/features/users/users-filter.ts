import { userOverviewSchema, type CallInput } from '../../../../shared/contract';
import { roles, type Role } from '../../../../shared/domain';

type UsersFilter = Exclude<CallInput<'users.list'>, undefined>;

/** The 2FA statuses users.list filters by, as the contract lists them. */
export const twoFactorStatuses = userOverviewSchema.shape.twoFactor.shape.status.options;
type Status = (typeof twoFactorStatuses)[number];

/**
 * The users list's filters as the URL holds them (`status`, `role`, `q`), for users.list. A value
 * the contract does not know (an old or edited link) is dropped rather than refused by main.
 */
export function usersFilterOf(view: {
  status: string | null;
  role: string | null;
  search: string;
}): UsersFilter {
  const filter: UsersFilter = {};
  if ((twoFactorStatuses as readonly string[]).includes(view.status ?? ''))
    filter.status = view.status as Status;
  if ((roles as readonly string[]).includes(view.role ?? '')) filter.role = view.role as Role;
  const search = view.search.trim();
  if (search) filter.search = search.slice(0, 200);
  return filter;
}
