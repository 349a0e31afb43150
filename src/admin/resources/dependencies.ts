import type { MikroORM } from '@mikro-orm/core';
import type { ResourceWithOptions } from 'adminjs';
import type { ApiKeyService } from '../../api-keys/api-key.service';
import type { ProductsService } from '../../products/products.service';
import type { AdminComponents } from '../admin-bundle';
import type { AdminUsersService } from '../admin-users.service';
import type { EventActions } from '../event-actions';
import type { JobActions } from '../job-actions';
import type { SessionActions } from '../session-actions';

/** What the panel's resources are built from: the ORM, the services their actions call, the components. */
export interface ResourceDependencies {
  orm: MikroORM;
  products: ProductsService;
  apiKeys: ApiKeyService;
  adminUsers: AdminUsersService;
  /** null while no module provides SessionsService. */
  sessionActions(): SessionActions | null;
  /** null while no module provides JobsService. */
  jobActions(): JobActions | null;
  /** null while no module provides EventsService. */
  eventActions(): EventActions | null;
  /** Whether the provider has a cancel call (else a cancel is local only); null when unknown. */
  cancelsAtProvider(provider: string): boolean | null;
  components: AdminComponents;
  /** Adds or changes resources before the panel's common treatment (times to the second, id links). */
  extend?(resources: ResourceWithOptions[]): ResourceWithOptions[];
}
