import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { InvalidRequest } from '@paymux/payments';
import type { FastifyRequest } from 'fastify';
import { Observable } from 'rxjs';

interface RouteArgument {
  data?: unknown;
}

/**
 * API.md: unknown query parameters are rejected (400), not ignored. A route that takes a query
 * DTO has it checked by the validation pipe (unknown fields are refused there); this refuses
 * every query parameter a route does not declare at all, so `GET /v1/products/42?x=1` is a 400
 * like `GET /v1/products?x=1`.
 */
@Injectable()
export class UnknownQueryInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const sent = Object.keys((request.query as Record<string, unknown> | undefined) ?? {});
    if (sent.length === 0) return next.handle();
    const declared = declaredQuery(context);
    if (declared === 'dto') return next.handle();
    const unknown = sent.find((name) => !declared.has(name));
    if (unknown !== undefined) throw new InvalidRequest(unknown, `${unknown} is not a known query parameter`, 'parameter_unknown');
    return next.handle();
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
