import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { InvalidRequest } from '@paymux/payments';
import type { FastifyRequest } from 'fastify';

interface RouteArgument {
  data?: unknown;
}

/**
 * API.md: unknown query parameters are rejected (400), not ignored. A route that takes a query
 * DTO has it checked by the validation pipe (unknown fields are refused there); this refuses
 * every query parameter a route does not declare at all, so `GET /v1/products/42?x=1` is a 400
 * like `GET /v1/products?x=1`.
 *
 * A guard (registered after the API key guard, so a missing key is still a 401 first) rather
 * than an interceptor: a route with no interceptor skips Nest's per-request observable chain.
 */
@Injectable()
export class UnknownQueryGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const sent = Object.keys((request.query as Record<string, unknown> | undefined) ?? {});
    if (sent.length === 0) return true;
    const declared = declaredQuery(context);
    if (declared === 'dto') return true;
    const unknown = sent.find((name) => !declared.has(name));
    if (unknown !== undefined) throw new InvalidRequest(unknown, `${unknown} is not a known query parameter`, 'parameter_unknown');
    return true;
  }
}

function declaredQuery(context: ExecutionContext): 'dto' | Set<string> {
  const args: Record<string, RouteArgument> = Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), context.getHandler().name) ?? {};
  const names = new Set<string>();
  for (const [key, argument] of Object.entries(args)) {
    if (Number(key.split(':')[0]) !== RouteParamtypes.QUERY) continue;
    if (typeof argument.data !== 'string') return 'dto';
    names.add(argument.data);
  }
  return names;
}
