import { describe, expect, it } from 'vitest';
import { contract } from '../../../../shared/contract';
import { usersFilterOf } from './users-filter';

describe('usersFilterOf (the users page URL as users.list filters)', () => {
  it('passes known values on, the search trimmed', () => {
    const filter = usersFilterOf({ status: 'locked', role: 'site_admin', search: '  Ada ' });
    expect(filter).toEqual({ status: 'locked', role: 'site_admin', search: 'Ada' });
    expect(contract['users.list'].input.safeParse(filter).success).toBe(true);
  });

  it('sends no filter for an empty view (the same query as the whole list)', () => {
    expect(usersFilterOf({ status: null, role: null, search: '   ' })).toEqual({});
  });

  it('drops values an old or edited link makes up, so main never refuses the page', () => {
    const filter = usersFilterOf({ status: 'banned', role: 'root', search: 'x'.repeat(500) });
    expect(filter).toEqual({ search: 'x'.repeat(200) });
    expect(contract['users.list'].input.safeParse(filter).success).toBe(true);
  });
});
