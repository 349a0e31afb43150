import type { EntityName, MikroORM } from '@mikro-orm/core';
import type { ActionContext, ActionResponse } from 'adminjs';
import { canAccess } from './admin-access';

/**
 * One list of records that belong to the record a page shows (a session's events, its inbound
 * callbacks, …). Adding a list — refunds, say — is one more entry: the resource, the column that
 * points back, the columns to show.
 */
export interface RelatedList {
  title: string;
  resourceId: string;
  entity: EntityName<object>;
  /** The column holding the shown record's id. */
  foreignKey: string;
  /** `format` writes a cell from the whole row (e.g. an amount with its currency); else the property's value. */
  columns: { property: string; label: string; format?: (row: Record<string, unknown>) => string | null }[];
  orderBy: string;
}

export interface RelatedListJson {
  title: string;
  resourceId: string;
  columns: { property: string; label: string }[];
  rows: { id: string; values: Record<string, string | null> }[];
}

const LIMIT = 50;

/** Times to the second, in UTC: "2026-12-03 14:05:09 UTC". */
function cell(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return `${value.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * A show `after` hook: adds the related lists the signed-in role may list (the others are not
 * read at all) to the record, newest first, at most 50 rows each.
 */
export function withRelated(orm: MikroORM, lists: readonly RelatedList[]) {
  return async (response: ActionResponse, _request: unknown, context: ActionContext): Promise<ActionResponse> => {
    const id = response.record?.id;
    if (!id) return response;
    const role = context.currentAdmin?.role;
    const related: RelatedListJson[] = [];
    const em = orm.em.fork();
    for (const list of lists) {
      if (!canAccess(role, list.resourceId, 'list')) continue;
      const rows = (await em.find(list.entity, { [list.foreignKey]: id } as never, { orderBy: { [list.orderBy]: 'desc' } as never, limit: LIMIT })) as Record<string, unknown>[];
      related.push({
        title: list.title,
        resourceId: list.resourceId,
        columns: list.columns.map(({ property, label }) => ({ property, label })),
        rows: rows.map((row) => ({
          id: String(row.id),
          values: Object.fromEntries(list.columns.map(({ property, format }) => [property, format ? format(row) : cell(row[property])])),
        })),
      });
    }
    response.record = { ...response.record!, related } as typeof response.record;
    return response;
  };
}
