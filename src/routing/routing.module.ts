import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { PROVIDER_REGISTRY, ProviderRegistry } from '@paymux/payments';
import { ReadinessChecks } from '../health/readiness';
import { AbandonedAttempts } from './abandoned-attempts';
import { ProviderHealth } from './provider-health';
import { ProviderRouter } from './provider-router';
import { RoutingMetrics } from './routing-metrics';

/** Routing rules, failover and the per-provider circuit breakers. */
@Module({
  providers: [ProviderHealth, ProviderRouter, RoutingMetrics, AbandonedAttempts],
  exports: [ProviderHealth, ProviderRouter, RoutingMetrics],
})
export class RoutingModule implements OnModuleInit {
  constructor(
    private readonly health: ProviderHealth,
    private readonly metrics: RoutingMetrics,
    private readonly readiness: ReadinessChecks,
    @Inject(PROVIDER_REGISTRY) private readonly registry: ProviderRegistry,
  ) {}

  onModuleInit(): void {
    const breakers = () => this.health.views(this.registry.names());
    this.metrics.breakerStates = breakers;
    // Shown in /health/ready; an open breaker never makes the instance unready (others still route).
    this.readiness.addDetails('providers', async () => {
      const views = await breakers();
      return Object.fromEntries(views.map(({ provider, ...view }) => [provider, { status: view.state === 'open' ? 'down' : 'up', breaker: view }]));
    });
  }
}
