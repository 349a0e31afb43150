import { Global, Injectable, Module, OnApplicationBootstrap, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA } from '@nestjs/common/constants';
import { DiscoveryModule, DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { PUBLIC_ROUTE } from '../http/public.decorator';
import { IDEMPOTENT_ROUTE } from './idempotent.decorator';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotencyService } from './idempotency.service';

/**
 * Every authenticated POST honours `Idempotency-Key` (API.md). The interceptor is put on each such
 * route by `@Idempotent()` rather than globally, because Nest runs any global interceptor's chain
 * on every request, reads included, and that chain cost more than the whole product read. This
 * check keeps the promise: the application does not start while an authenticated POST lacks it.
 */
@Injectable()
export class IdempotencyCoverage implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onApplicationBootstrap(): void {
    const missing = uncoveredPostRoutes(this.discovery, this.scanner, this.reflector);
    if (missing.length > 0) {
      throw new Error(`authenticated POST routes without @Idempotent(): ${missing.join(', ')}`);
    }
  }
}

export function uncoveredPostRoutes(discovery: DiscoveryService, scanner: MetadataScanner, reflector: Reflector): string[] {
  const missing: string[] = [];
  for (const wrapper of discovery.getControllers()) {
    const controller = wrapper.metatype as (new (...args: never[]) => object) | undefined;
    if (!controller || !wrapper.instance) continue;
    const prototype = Object.getPrototypeOf(wrapper.instance) as Record<string, unknown>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name] as (...args: unknown[]) => unknown;
      if (Reflect.getMetadata(METHOD_METADATA, handler) !== RequestMethod.POST) continue;
      if (reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [handler, controller])) continue;
      if (!reflector.getAllAndOverride<boolean>(IDEMPOTENT_ROUTE, [handler, controller])) missing.push(`${controller.name}.${name}`);
    }
  }
  return missing;
}

@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [IdempotencyService, IdempotencyInterceptor, IdempotencyCoverage],
  exports: [IdempotencyService, IdempotencyInterceptor],
})
export class IdempotencyModule {}
