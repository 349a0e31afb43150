import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** `?limit=` (1–100, default 20) and `?starting_after=<id>`; lists are newest first. */
export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value))
  @IsInt({ message: 'limit must be an integer between 1 and 100' })
  @Min(1, { message: 'limit must be an integer between 1 and 100' })
  @Max(100, { message: 'limit must be an integer between 1 and 100' })
  limit?: number;

  @ApiPropertyOptional({ description: 'Return items after (older than) this id' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  starting_after?: string;
}

export interface ListAnswer<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
}

/** Fetch `limit + 1` rows, answer `limit` of them and whether there were more. */
export function toList<E, T>(rows: E[], limit: number, render: (row: E) => T): ListAnswer<T> {
  return { object: 'list', data: rows.slice(0, limit).map(render), has_more: rows.length > limit };
}

export function pageLimit(query: PageQuery): number {
  return query.limit ?? 20;
}
