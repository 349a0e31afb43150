import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261123083153_Initial } from './Migration20261123083153_Initial';
import { Migration20261123084752_SessionClaims } from './Migration20261123084752_SessionClaims';
import { Migration20261202114025_AmountMismatchAndProviderCustomer } from './Migration20261202114025_AmountMismatchAndProviderCustomer';
import { Migration20261202121754_AdminSessionsAndIdleRuns } from './Migration20261202121754_AdminSessionsAndIdleRuns';
import { Migration20261202124000_IdempotencySession } from './Migration20261202124000_IdempotencySession';
import { Migration20261203073509_RoutingAndBreakers } from './Migration20261203073509_RoutingAndBreakers';
import { Migration20261203134625_Refunds } from './Migration20261203134625_Refunds';
import { Migration20261203134646_ProviderProducts } from './Migration20261203134646_ProviderProducts';
import { Migration20261203140000_ManualCapture } from './Migration20261203140000_ManualCapture';

/** Every sqlite migration, in order. Add each new migration here. */
export const SQLITE_MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261123083153_Initial', class: Migration20261123083153_Initial },
  { name: 'Migration20261123084752_SessionClaims', class: Migration20261123084752_SessionClaims },
  { name: 'Migration20261202114025_AmountMismatchAndProviderCustomer', class: Migration20261202114025_AmountMismatchAndProviderCustomer },
  { name: 'Migration20261202121754_AdminSessionsAndIdleRuns', class: Migration20261202121754_AdminSessionsAndIdleRuns },
  { name: 'Migration20261202124000_IdempotencySession', class: Migration20261202124000_IdempotencySession },
  { name: 'Migration20261203073509_RoutingAndBreakers', class: Migration20261203073509_RoutingAndBreakers },
  { name: 'Migration20261203134625_Refunds', class: Migration20261203134625_Refunds },
  { name: 'Migration20261203134646_ProviderProducts', class: Migration20261203134646_ProviderProducts },
  { name: 'Migration20261203140000_ManualCapture', class: Migration20261203140000_ManualCapture },
];
