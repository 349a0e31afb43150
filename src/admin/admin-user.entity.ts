import { Entity, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { newId } from '../database/ids';

export const ADMIN_ROLES = ['admin', 'merchant', 'operator'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

@Entity({ tableName: 'admin_users' })
export class AdminUser {
  @PrimaryKey({ length: 40 })
  id: string = newId('adm');

  @Property({ length: 320 })
  @Unique()
  email!: string;

  /** scrypt hash, `scrypt$N$r$p$salt$hash` (never the password). */
  @Property({ length: 255, hidden: true })
  passwordHash!: string;

  @Property({ length: 16 })
  role: AdminRole = 'merchant';

  @Property({ default: false })
  disabled: boolean = false;

  @Property({ type: 'datetime', nullable: true })
  lastLoginAt: Date | null = null;

  @Property()
  createdAt: Date = new Date();
}
