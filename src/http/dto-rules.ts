import { Transform } from 'class-transformer';
import { registerDecorator, ValidateIf, ValidationArguments, ValidationOptions } from 'class-validator';
import { isCurrency, MAX_AMOUNT } from '@paymux/payments';

/** Shared field rules: the API and the admin panel validate through these same DTOs. */

export const METADATA_LIMITS = { keys: 20, keyLength: 30, valueLength: 500 } as const;

/** An upper-cased ISO 4217 code; accepts any case on input. */
export function IsCurrencyCode(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyKey) => {
    Transform(({ value }) => (typeof value === 'string' ? value.toUpperCase() : value))(target, propertyKey);
    registerDecorator({
      name: 'isCurrencyCode',
      target: target.constructor,
      propertyName: propertyKey as string,
      options,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && /^[A-Z]{3}$/.test(value) && isCurrency(value),
        defaultMessage: (args: ValidationArguments) => `${args.property} must be an ISO 4217 currency code`,
      },
    });
  };
}

/** A non-negative integer amount in minor units, exact in a JS number. */
export function IsMinorAmount(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyKey) =>
    registerDecorator({
      name: 'isMinorAmount',
      target: target.constructor,
      propertyName: propertyKey as string,
      options,
      validator: {
        validate: (value: unknown) => typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_AMOUNT,
        defaultMessage: (args: ValidationArguments) =>
          `${args.property} must be a non-negative integer in the currency's minor unit (e.g. 1000 = 10.00 USD)`,
      },
    });
}

/** Object of string → string within the metadata limits of API.md. */
export function IsMetadata(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyKey) =>
    registerDecorator({
      name: 'isMetadata',
      target: target.constructor,
      propertyName: propertyKey as string,
      options,
      validator: {
        validate: (value: unknown) => metadataProblem(value) === null,
        defaultMessage: (args: ValidationArguments) => `${args.property} ${metadataProblem(args.value)}`,
      },
    });
}

function metadataProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'must be an object of string values';
  const entries = Object.entries(value);
  if (entries.length > METADATA_LIMITS.keys) return `must have at most ${METADATA_LIMITS.keys} keys`;
  for (const [key, item] of entries) {
    if (key.length === 0 || key.length > METADATA_LIMITS.keyLength) return `keys must be 1 to ${METADATA_LIMITS.keyLength} characters`;
    if (typeof item !== 'string') return `values must be strings (key "${key}")`;
    if (item.length > METADATA_LIMITS.valueLength) return `values must be at most ${METADATA_LIMITS.valueLength} characters (key "${key}")`;
  }
  return null;
}

/** http(s) URL with a host and no user name or password in it, at most 2048 characters. */
export function IsWebUrl(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyKey) =>
    registerDecorator({
      name: 'isWebUrl',
      target: target.constructor,
      propertyName: propertyKey as string,
      options,
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string' || value.length > 2048) return false;
          try {
            const url = new URL(value);
            return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0 && !url.username && !url.password;
          } catch {
            return false;
          }
        },
        defaultMessage: (args: ValidationArguments) => `${args.property} must be an absolute http(s) URL of at most 2048 characters, without credentials`,
      },
    });
}

/**
 * Like `@IsOptional()`, but only an absent field skips the rules: `null` is validated (and
 * refused by them), for fields that have no null state.
 */
export function OptionalNotNull(options?: ValidationOptions): PropertyDecorator {
  return ValidateIf((_, value) => value !== undefined, options);
}

const INSTANT = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d)(?:\.\d{1,3})?)?(?:Z|([+-])(\d\d):(\d\d))$/;

/** An ISO 8601 instant (`2026-11-22T10:15:00Z`) that exists on the calendar: no 30 February, no 25:00. */
export function isCalendarInstant(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const parts = INSTANT.exec(value);
  if (!parts) return false;
  const [year, month, day, hour, minute, second, , offsetHours, offsetMinutes] = parts.slice(1).map((part) => (part === undefined ? 0 : Number(part)));
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59 &&
    offsetHours <= 23 && offsetMinutes <= 59 && !Number.isNaN(Date.parse(value));
}

export function IsCalendarInstant(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyKey) =>
    registerDecorator({
      name: 'isCalendarInstant',
      target: target.constructor,
      propertyName: propertyKey as string,
      options,
      validator: {
        validate: isCalendarInstant,
        defaultMessage: (args: ValidationArguments) => `${args.property} must be an ISO 8601 instant that exists (e.g. 2026-11-22T10:15:00Z)`,
      },
    });
}
