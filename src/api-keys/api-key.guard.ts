import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthenticationFailed } from '@paymux/payments';
import type { FastifyRequest } from 'fastify';
import { PUBLIC_ROUTE } from '../http/public.decorator';
import type { ApiKey } from './api-key.entity';
import { ApiKeyService } from './api-key.service';

export type AuthenticatedRequest = FastifyRequest & { apiKey?: ApiKey };

/** `Authorization: Bearer <key>` on every route not marked @Public(). */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeyService,
  ) {}

  /** Synchronous for a key verified moments ago (most requests): no promise to wait for. */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) {
      throw new AuthenticationFailed('api_key_missing', 'Send your API key as "Authorization: Bearer <key>"');
    }
    const recent = this.apiKeys.recentlyVerified(match[1]);
    if (recent) {
      request.apiKey = recent;
      return true;
    }
    return this.verify(request, match[1]);
  }

  private async verify(request: AuthenticatedRequest, key: string): Promise<boolean> {
    const apiKey = await this.apiKeys.verify(key);
    if (!apiKey) throw new AuthenticationFailed('api_key_invalid', 'The API key is unknown or revoked');
    request.apiKey = apiKey;
    return true;
  }
}
