import { Module } from '@nestjs/common';
import { NoopController } from './noop.controller';

/** Mounted only with BENCH_ROUTES=true (see bench/run.js). */
@Module({ controllers: [NoopController] })
export class BenchRoutesModule {}
