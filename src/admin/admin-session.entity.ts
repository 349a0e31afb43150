import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A signed-in admin panel session, shared by every instance: a restart or another instance
 * behind the load balancer keeps the user signed in. The key is the SHA-256 of the session id,
 * so the table alone does not give anyone a usable cookie.
 */
@Entity({ tableName: 'admin_sessions' })
export class AdminSession {
  @PrimaryKey({ length: 64 })
  id!: string;

  /** The session's JSON (the signed-in user and the cookie's expiry). */
  @Property({ type: 'text' })
  data!: string;

  @Index()
  @Property()
  expiresAt!: Date;

  @Property({ onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
