import { Controller, Get, Header, HttpCode, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, MikroOrmHealthIndicator } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { Public } from '../http/public.decorator';
import { Metrics } from './metrics';
import { ReadinessChecks } from './readiness';

@ApiTags('operations')
@Public()
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: MikroOrmHealthIndicator,
    private readonly readiness: ReadinessChecks,
    private readonly metrics: Metrics,
  ) {}

  @Get('health')
  @ApiOkResponse({ description: 'The process is alive' })
  live() {
    return { status: 'ok' };
  }

  @Get('health/ready')
  @HealthCheck()
  @ApiOkResponse({ description: 'Database reachable and scheduled jobs healthy' })
  @ApiServiceUnavailableResponse({ description: 'Not ready' })
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    // Terminus reports "not ready" by throwing a 503; answered here with its details, since the
    // API's error filter renders every other 5xx as an opaque 500.
    try {
      return await this.checkReadiness();
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      void reply.status(503);
      return error.getResponse();
    }
  }

  private checkReadiness() {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 2000 }),
      async () => {
        const results = await this.readiness.run();
        const details = Object.fromEntries(results.map((r) => [r.name, r.problem === null ? { status: 'up' } : { status: 'down', problem: r.problem }]));
        const down = results.filter((r) => r.problem !== null);
        if (down.length === 0) return { jobs: { status: 'up', ...details } };
        const { HealthCheckError } = await import('@nestjs/terminus');
        throw new HealthCheckError('jobs unhealthy', { jobs: { status: 'down', ...details } });
      },
      ...this.readiness.informational().map(([name, details]) => async () => ({ [name]: { status: 'up' as const, ...(await details()) } })),
    ]);
  }

  @Get('metrics')
  @HttpCode(200)
  @ApiExcludeEndpoint()
  @Header('Cache-Control', 'no-store')
  async scrape(@Res() reply: FastifyReply): Promise<void> {
    await reply.type(this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }
}
