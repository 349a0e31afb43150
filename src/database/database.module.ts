import { MikroORM } from '@mikro-orm/core';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { DynamicModule, Inject, Logger, Module, OnModuleInit } from '@nestjs/common';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { migrateToLatest } from './migrate';
import { ormOptions } from './orm-config';

@Module({})
export class DatabaseModule implements OnModuleInit {
  private readonly logger = new Logger('database');

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
    if (!this.config.migrateOnStart) return;
    const applied = await migrateToLatest(this.orm);
    if (applied.length > 0) this.logger.log(`applied migrations: ${applied.join(', ')}`);
  }
}
