import { DynamicModule, Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { ProductsModule } from '../products/products.module';
import { AdminPanel } from './admin-panel';
import { AdminSessionStore } from './admin-session-store';
import { AdminUsersService } from './admin-users.service';
import { loadAdminJs } from './adminjs-loader';
import { LoginThrottle } from './login-throttle';
import { PurgeAdminSessionsJob } from './purge-admin-sessions.job';

@Module({})
export class AdminModule {
  /**
   * The panel, for AppModule's imports when ADMIN_ENABLED. A promise so that AdminJS (ES
   * modules only) is loaded before Nest builds the module graph, and only when it is enabled.
   */
  static async forRoot(): Promise<DynamicModule> {
    await loadAdminJs();
    return {
      module: AdminModule,
      imports: [ProductsModule, ApiKeysModule],
      providers: [AdminUsersService, AdminPanel, AdminSessionStore, LoginThrottle, PurgeAdminSessionsJob],
      exports: [AdminUsersService],
    };
  }
}
