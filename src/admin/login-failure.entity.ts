import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * One failed admin sign-in, counted against its e-mail and against its client address. Shared
 * by every instance, so the limits hold behind a load balancer and across restarts.
 */
@Entity({ tableName: 'admin_login_failures' })
@Index({ properties: ['email', 'failedAt'] })
@Index({ properties: ['clientAddress', 'failedAt'] })
export class LoginFailure {
  @PrimaryKey({ autoincrement: true })
  id!: number;

  /** Lower-cased and trimmed. */
  @Property({ length: 320 })
  email!: string;

  @Property({ length: 64 })
  clientAddress!: string;

  @Property()
  failedAt!: Date;
}
