import { MikroORM } from '@mikro-orm/core';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { DynamicModule, Inject, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { migrateToLatest } from './migrate';
import { ormOptions, POOL_SIZE } from './orm-config';
import { isPostgres, openStatementPool } from './statements';

@Module({})
export class DatabaseModule implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('database');
  private closeStatementPool: (() => Promise<void>) | null = null;

  constructor(
    private readonly orm: MikroORM,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [MikroOrmModule.forRoot({ ...ormOptions(config), registerRequestContext: false })],
    };
  }

  async onModuleInit(): Promise<void> {
    if (this.config.migrateOnStart) {
      const applied = await migrateToLatest(this.orm);
      if (applied.length > 0) this.logger.log(`applied migrations: ${applied.join(', ')}`);
    }
    if (isPostgres(this.orm.em)) {
      this.closeStatementPool = openStatementPool(this.orm.em, {
        max: POOL_SIZE,
        onError: (error) => this.logger.warn(`an idle database connection failed: ${error.message}`),
      });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.closeStatementPool?.();
    this.closeStatementPool = null;
  }
}
