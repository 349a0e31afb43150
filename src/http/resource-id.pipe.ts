import { PipeTransform } from '@nestjs/common';
import { NotFound } from '@paymux/payments';

/** Path ids: a malformed id is simply an unknown one (404), as for any id that does not exist. */
export class ResourceId {
  static integer(what: string): PipeTransform<string, number> {
    return {
      transform(value: string): number {
        if (!/^\d{1,15}$/.test(value)) throw new NotFound(what, value);
        return Number(value);
      },
    };
  }

  static prefixed(what: string, prefix: string): PipeTransform<string, string> {
    return {
      transform(value: string): string {
        if (!value.startsWith(`${prefix}_`) || value.length > 64) throw new NotFound(what, value);
        return value;
      },
    };
  }
}
