import { CompiledQuery, sql, type Compilable } from 'kysely';
import { ROWS_AS_ARRAYS } from './connection';
import type { Db } from './schema';

/**
 * SQL that differs between engines lives behind these functions (DESIGN: store/ only).
 *
 * `INDEXED BY`: without statistics SQLite prefers the (type, ts) index for every verification
 * query, even where the partial (user, network, ts) index reads a tenth as much; this pins it.
 * Other engines plan from statistics and get no hint.
 */
export function indexedBy(index: string) {
  return sql.raw(`INDEXED BY ${index}`);
}

/** A failure counts as a typo when the same user succeeds within this time after it. */
export const TYPO_GRACE_MS = 10 * 60 * 1000;

/**
 * Runs a select and answers its rows as arrays of column values in select-list order, for
 * walking the whole trail (export) where building an object per row costs more than reading it.
 */
export async function selectRowsAsArrays<Row extends readonly unknown[]>(
  db: Db,
  query: Compilable,
): Promise<Row[]> {
  const compiled = query.compile();
  const result = await db.executeQuery<Row>(
    CompiledQuery.raw(ROWS_AS_ARRAYS + compiled.sql, [...compiled.parameters]),
  );
  return result.rows;
}
