import { randomBytes } from 'node:crypto';
import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { InvalidRequest, NotFound } from '@paymux/payments';
import type { AppConfig } from '../config/config';
import { CreateAdminUserDto, UpdateAdminUserDto } from './admin-user.dto';
import { AdminUser } from './admin-user.entity';
import { hashPassword, UNKNOWN_USER_HASH, verifyPassword } from './password';

export const DEV_ADMIN_EMAIL = 'admin@paymux.local';

export interface GeneratedAdmin {
  email: string;
  /** Shown once at start-up, never stored. */
  password: string;
}

@Injectable()
export class AdminUsersService {
  constructor(private readonly em: EntityManager) {}

  /** The active user with this e-mail and password, or null. Takes as long when the e-mail is unknown. */
  async authenticate(email: string, password: string): Promise<AdminUser | null> {
    const em = this.em.fork();
    const user = await em.findOne(AdminUser, { email: normalizeEmail(email) });
    const matches = await verifyPassword(password, user?.passwordHash ?? UNKNOWN_USER_HASH);
    if (!user || !matches || user.disabled) return null;
    user.lastLoginAt = new Date();
    await em.flush();
    return user;
  }

  async find(id: string): Promise<AdminUser | null> {
    return this.em.fork().findOne(AdminUser, { id });
  }

  async create(input: CreateAdminUserDto): Promise<AdminUser> {
    const em = this.em.fork();
    const user = Object.assign(new AdminUser(), {
      email: normalizeEmail(input.email),
      passwordHash: await hashPassword(input.password),
      role: input.role,
      disabled: input.disabled ?? false,
    });
    await flushUniqueEmail(() => em.persistAndFlush(user));
    return user;
  }

  async update(id: string, input: UpdateAdminUserDto): Promise<AdminUser> {
    const em = this.em.fork();
    const user = await em.findOne(AdminUser, { id });
    if (!user) throw new NotFound('admin_user', id);
    if (input.email !== undefined) user.email = normalizeEmail(input.email);
    if (input.password !== undefined) user.passwordHash = await hashPassword(input.password);
    if (input.role !== undefined) user.role = input.role;
    if (input.disabled !== undefined) user.disabled = input.disabled;
    await flushUniqueEmail(() => em.flush());
    return user;
  }

  async remove(id: string): Promise<void> {
    await this.em.fork().nativeDelete(AdminUser, { id });
  }

  /**
   * Start-up: the admin of ADMIN_EMAIL/ADMIN_PASSWORD exists (created once, never overwritten);
   * outside production, when neither is set and there is no admin user at all, a development
   * admin is created and its password returned to be printed once.
   */
  async ensureStartupAdmin(admin: AppConfig['admin'], production: boolean): Promise<GeneratedAdmin | null> {
    const em = this.em.fork();
    if (admin.password !== null) {
      const email = normalizeEmail(admin.email ?? DEV_ADMIN_EMAIL);
      if (!(await em.findOne(AdminUser, { email }))) await this.create({ email, password: admin.password, role: 'admin' });
      return null;
    }
    if (production || (await em.count(AdminUser, {})) > 0) return null;
    const generated = { email: normalizeEmail(admin.email ?? DEV_ADMIN_EMAIL), password: randomBytes(18).toString('base64url') };
    await this.create({ ...generated, role: 'admin' });
    return generated;
  }
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

async function flushUniqueEmail(flush: () => Promise<void>): Promise<void> {
  try {
    await flush();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) {
      throw new InvalidRequest('email', 'An admin user with this e-mail already exists', 'email_taken');
    }
    throw error;
  }
}
