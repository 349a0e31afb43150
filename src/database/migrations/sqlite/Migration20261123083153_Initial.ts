import { Migration } from '@mikro-orm/migrations';

export class Migration20261123083153_Initial extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`admin_users\` (\`id\` text not null, \`email\` text not null, \`password_hash\` text not null, \`role\` text not null default 'merchant', \`disabled\` integer not null default false, \`last_login_at\` datetime null, \`created_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create unique index \`admin_users_email_unique\` on \`admin_users\` (\`email\`);`);

    this.addSql(`create table \`api_keys\` (\`id\` text not null, \`name\` text not null, \`prefix\` text not null, \`hash\` text not null, \`created_at\` datetime not null, \`revoked_at\` datetime null, \`last_used_at\` datetime null, primary key (\`id\`));`);
    this.addSql(`create unique index \`api_keys_hash_unique\` on \`api_keys\` (\`hash\`);`);

    this.addSql(`create table \`customers\` (\`id\` text not null, \`reference\` text null, \`email\` text null, \`username\` text null, \`full_name\` text null, \`provider_customers\` json not null, \`metadata\` json not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create unique index \`customers_reference_unique\` on \`customers\` (\`reference\`);`);
    this.addSql(`create index \`customers_email_index\` on \`customers\` (\`email\`);`);

    this.addSql(`create table \`deliveries\` (\`id\` text not null, \`event_id\` text not null, \`endpoint_id\` text null, \`url\` text not null, \`state\` text not null default 'pending', \`attempts\` integer not null default 0, \`next_attempt_at\` datetime null, \`locked_until\` datetime null, \`delivered_at\` datetime null, \`created_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`deliveries_event_id_index\` on \`deliveries\` (\`event_id\`);`);
    this.addSql(`create index \`deliveries_state_next_attempt_at_index\` on \`deliveries\` (\`state\`, \`next_attempt_at\`);`);

    this.addSql(`create table \`delivery_attempts\` (\`id\` integer not null primary key autoincrement, \`delivery_id\` text not null, \`event_id\` text not null, \`attempt\` integer not null, \`status_code\` integer null, \`duration_ms\` integer not null, \`response_snippet\` text null, \`error\` text null, \`created_at\` datetime not null);`);
    this.addSql(`create index \`delivery_attempts_delivery_id_index\` on \`delivery_attempts\` (\`delivery_id\`);`);
    this.addSql(`create index \`delivery_attempts_event_id_index\` on \`delivery_attempts\` (\`event_id\`);`);

    this.addSql(`create table \`events\` (\`id\` text not null, \`type\` text not null, \`session_id\` text null, \`customer_id\` text null, \`payload\` text not null, \`created_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`events_type_index\` on \`events\` (\`type\`);`);
    this.addSql(`create index \`events_session_id_index\` on \`events\` (\`session_id\`);`);

    this.addSql(`create table \`idempotency_records\` (\`id\` integer not null primary key autoincrement, \`api_key_id\` text not null, \`key\` text not null, \`fingerprint\` text not null, \`state\` text not null default 'in_flight', \`response_status\` integer null, \`response_body\` text null, \`locked_until\` datetime not null, \`created_at\` datetime not null);`);
    this.addSql(`create index \`idempotency_records_created_at_index\` on \`idempotency_records\` (\`created_at\`);`);
    this.addSql(`create unique index \`idempotency_records_api_key_id_key_unique\` on \`idempotency_records\` (\`api_key_id\`, \`key\`);`);

    this.addSql(`create table \`inbound_webhooks\` (\`id\` integer not null primary key autoincrement, \`provider\` text not null, \`dedupe_key\` text null, \`event_type\` text null, \`session_id\` text null, \`outcome\` text not null, \`headers\` json not null, \`raw_body\` text not null, \`received_at\` datetime not null);`);
    this.addSql(`create index \`inbound_webhooks_session_id_index\` on \`inbound_webhooks\` (\`session_id\`);`);
    this.addSql(`create index \`inbound_webhooks_received_at_index\` on \`inbound_webhooks\` (\`received_at\`);`);
    this.addSql(`create unique index \`inbound_webhooks_provider_dedupe_key_unique\` on \`inbound_webhooks\` (\`provider\`, \`dedupe_key\`);`);

    this.addSql(`create table \`job_runs\` (\`id\` text not null, \`job\` text not null, \`instance_id\` text not null, \`started_at\` datetime not null, \`finished_at\` datetime null, \`status\` text not null default 'running', \`examined\` integer not null default 0, \`changed\` integer not null default 0, \`error\` text null, primary key (\`id\`));`);
    this.addSql(`create index \`job_runs_job_started_at_index\` on \`job_runs\` (\`job\`, \`started_at\`);`);

    this.addSql(`create table \`job_states\` (\`job\` text not null, \`paused\` integer not null default false, \`last_run_at\` datetime null, \`last_success_at\` datetime null, \`updated_at\` datetime not null, primary key (\`job\`));`);

    this.addSql(`create table \`products\` (\`id\` integer not null primary key autoincrement, \`name\` text not null, \`description\` text null, \`amount\` bigint not null, \`currency\` text not null, \`active\` integer not null default true, \`spayon_product_id\` integer null, \`metadata\` json not null, \`created_at\` datetime not null, \`updated_at\` datetime not null);`);
    this.addSql(`create index \`products_active_currency_index\` on \`products\` (\`active\`, \`currency\`);`);

    this.addSql(`create table \`sessions\` (\`id\` text not null, \`provider\` text not null, \`provider_session_id\` text null, \`mode\` text not null default 'payment', \`status\` text not null default 'open', \`late\` integer not null default false, \`amount\` bigint null, \`currency\` text null, \`description\` text null, \`product_id\` integer null, \`customer_id\` text null, \`order_id\` text null, \`redirect_url\` text null, \`return_url\` text not null, \`cancel_url\` text null, \`callback_url\` text null, \`payment_methods\` json null, \`default_payment_method\` text null, \`locale\` text null, \`expires_at\` datetime not null, \`completed_at\` datetime null, \`failure\` json null, \`metadata\` json not null, \`provider_status\` text null, \`last_provider_update_at\` datetime null, \`expiry_check_failures\` integer not null default 0, \`created_at\` datetime not null, \`updated_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`sessions_product_id_index\` on \`sessions\` (\`product_id\`);`);
    this.addSql(`create index \`sessions_customer_id_index\` on \`sessions\` (\`customer_id\`);`);
    this.addSql(`create index \`sessions_order_id_index\` on \`sessions\` (\`order_id\`);`);
    this.addSql(`create index \`sessions_created_at_index\` on \`sessions\` (\`created_at\`);`);
    this.addSql(`create index \`sessions_status_expires_at_index\` on \`sessions\` (\`status\`, \`expires_at\`);`);
    this.addSql(`create index \`sessions_provider_provider_session_id_index\` on \`sessions\` (\`provider\`, \`provider_session_id\`);`);

    this.addSql(`create table \`session_events\` (\`id\` integer not null primary key autoincrement, \`session_id\` text not null, \`from_status\` text null, \`to_status\` text not null, \`source\` text not null, \`late\` integer not null default false, \`provider_status\` text null, \`note\` text null, \`created_at\` datetime not null);`);
    this.addSql(`create index \`session_events_session_id_created_at_index\` on \`session_events\` (\`session_id\`, \`created_at\`);`);
    this.addSql(`create unique index \`session_events_session_id_to_status_unique\` on \`session_events\` (\`session_id\`, \`to_status\`);`);

    this.addSql(`create table \`webhook_endpoints\` (\`id\` text not null, \`url\` text not null, \`enabled_events\` json not null, \`description\` text null, \`secret\` text not null, \`created_at\` datetime not null, \`deleted_at\` datetime null, primary key (\`id\`));`);
  }

}
