import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261123083152_Initial } from './Migration20261123083152_Initial';
import { Migration20261123084753_SessionClaims } from './Migration20261123084753_SessionClaims';
import { Migration20261202114027_AmountMismatchAndProviderCustomer } from './Migration20261202114027_AmountMismatchAndProviderCustomer';
import { Migration20261202121758_AdminSessionsAndIdleRuns } from './Migration20261202121758_AdminSessionsAndIdleRuns';
import { Migration20261202124001_IdempotencySession } from './Migration20261202124001_IdempotencySession';
import { Migration20261203073511_RoutingAndBreakers } from './Migration20261203073511_RoutingAndBreakers';
import { Migration20261203134627_Refunds } from './Migration20261203134627_Refunds';
import { Migration20261203134649_ProviderProducts } from './Migration20261203134649_ProviderProducts';
import { Migration20261203140001_ManualCapture } from './Migration20261203140001_ManualCapture';

/** Every postgresql migration, in order. Add each new migration here. */
export const POSTGRESQL_MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261123083152_Initial', class: Migration20261123083152_Initial },
  { name: 'Migration20261123084753_SessionClaims', class: Migration20261123084753_SessionClaims },
  { name: 'Migration20261202114027_AmountMismatchAndProviderCustomer', class: Migration20261202114027_AmountMismatchAndProviderCustomer },
  { name: 'Migration20261202121758_AdminSessionsAndIdleRuns', class: Migration20261202121758_AdminSessionsAndIdleRuns },
  { name: 'Migration20261202124001_IdempotencySession', class: Migration20261202124001_IdempotencySession },
  { name: 'Migration20261203073511_RoutingAndBreakers', class: Migration20261203073511_RoutingAndBreakers },
  { name: 'Migration20261203134627_Refunds', class: Migration20261203134627_Refunds },
  { name: 'Migration20261203134649_ProviderProducts', class: Migration20261203134649_ProviderProducts },
  { name: 'Migration20261203140001_ManualCapture', class: Migration20261203140001_ManualCapture },
];
