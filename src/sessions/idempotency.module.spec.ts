import { Controller, Get, Post } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { Public } from '../http/public.decorator';
import { IdempotencyCoverage, uncoveredPostRoutes } from './idempotency.module';
import { IdempotencyService } from './idempotency.service';
import { Idempotent } from './idempotent.decorator';

@Controller('covered')
class CoveredController {
  @Idempotent()
  @Post()
  create() {
    return {};
  }

  @Get()
  list() {
    return [];
  }
}

@Controller('forgotten')
class ForgottenController {
  @Post(':id/act')
  act() {
    return {};
  }
}

@Public()
@Controller('open')
class OpenController {
  @Post()
  receive() {
    return {};
  }
}

// The interceptor's own store is not exercised here (test/e2e/idempotency.e2e-spec.ts does that).
async function coverageOf(...controllers: Array<new () => object>) {
  const moduleRef = await Test.createTestingModule({ imports: [DiscoveryModule], controllers, providers: [IdempotencyCoverage, { provide: IdempotencyService, useValue: {} }] }).compile();
  return {
    missing: uncoveredPostRoutes(moduleRef.get(DiscoveryService), moduleRef.get(MetadataScanner), moduleRef.get(Reflector)),
    coverage: moduleRef.get(IdempotencyCoverage),
  };
}

describe('every authenticated POST honours Idempotency-Key', () => {
  it('names an authenticated POST route that lacks @Idempotent(), and refuses to start with it', async () => {
    const { missing, coverage } = await coverageOf(CoveredController, ForgottenController, OpenController);
    expect(missing).toEqual(['ForgottenController.act']);
    expect(() => coverage.onApplicationBootstrap()).toThrow('authenticated POST routes without @Idempotent(): ForgottenController.act');
  });

  it('lets reads and public POSTs (provider callbacks) go without it', async () => {
    const { missing, coverage } = await coverageOf(CoveredController, OpenController);
    expect(missing).toEqual([]);
    expect(() => coverage.onApplicationBootstrap()).not.toThrow();
  });
});
