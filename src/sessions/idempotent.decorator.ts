import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { IdempotencyInterceptor } from './idempotency.interceptor';

export const IDEMPOTENT_ROUTE = 'paymux:idempotent';

/** `Idempotency-Key` for this POST (or every POST of this controller): see IdempotencyInterceptor. */
export const Idempotent = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(IDEMPOTENT_ROUTE, true), UseInterceptors(IdempotencyInterceptor));
