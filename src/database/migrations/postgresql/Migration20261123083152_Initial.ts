import { Migration } from '@mikro-orm/migrations';

export class Migration20261123083152_Initial extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "admin_users" ("id" varchar(40) not null, "email" varchar(320) not null, "password_hash" varchar(255) not null, "role" varchar(16) not null default 'merchant', "disabled" boolean not null default false, "last_login_at" timestamptz null, "created_at" timestamptz not null, constraint "admin_users_pkey" primary key ("id"));`);
    this.addSql(`alter table "admin_users" add constraint "admin_users_email_unique" unique ("email");`);

    this.addSql(`create table "api_keys" ("id" varchar(40) not null, "name" varchar(255) not null, "prefix" varchar(16) not null, "hash" varchar(64) not null, "created_at" timestamptz not null, "revoked_at" timestamptz null, "last_used_at" timestamptz null, constraint "api_keys_pkey" primary key ("id"));`);
    this.addSql(`alter table "api_keys" add constraint "api_keys_hash_unique" unique ("hash");`);

    this.addSql(`create table "customers" ("id" varchar(40) not null, "reference" varchar(255) null, "email" varchar(320) null, "username" varchar(255) null, "full_name" varchar(255) null, "provider_customers" jsonb not null, "metadata" jsonb not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "customers_pkey" primary key ("id"));`);
    this.addSql(`alter table "customers" add constraint "customers_reference_unique" unique ("reference");`);
    this.addSql(`create index "customers_email_index" on "customers" ("email");`);

    this.addSql(`create table "deliveries" ("id" varchar(40) not null, "event_id" varchar(40) not null, "endpoint_id" varchar(40) null, "url" text not null, "state" varchar(16) not null default 'pending', "attempts" int not null default 0, "next_attempt_at" timestamptz null, "locked_until" timestamptz null, "delivered_at" timestamptz null, "created_at" timestamptz not null, constraint "deliveries_pkey" primary key ("id"));`);
    this.addSql(`create index "deliveries_event_id_index" on "deliveries" ("event_id");`);
    this.addSql(`create index "deliveries_state_next_attempt_at_index" on "deliveries" ("state", "next_attempt_at");`);

    this.addSql(`create table "delivery_attempts" ("id" serial primary key, "delivery_id" varchar(40) not null, "event_id" varchar(40) not null, "attempt" int not null, "status_code" int null, "duration_ms" int not null, "response_snippet" text null, "error" text null, "created_at" timestamptz not null);`);
    this.addSql(`create index "delivery_attempts_delivery_id_index" on "delivery_attempts" ("delivery_id");`);
    this.addSql(`create index "delivery_attempts_event_id_index" on "delivery_attempts" ("event_id");`);

    this.addSql(`create table "events" ("id" varchar(40) not null, "type" varchar(64) not null, "session_id" varchar(40) null, "customer_id" varchar(40) null, "payload" text not null, "created_at" timestamptz not null, constraint "events_pkey" primary key ("id"));`);
    this.addSql(`create index "events_type_index" on "events" ("type");`);
    this.addSql(`create index "events_session_id_index" on "events" ("session_id");`);

    this.addSql(`create table "idempotency_records" ("id" serial primary key, "api_key_id" varchar(40) not null, "key" varchar(255) not null, "fingerprint" varchar(64) not null, "state" varchar(16) not null default 'in_flight', "response_status" int null, "response_body" text null, "locked_until" timestamptz not null, "created_at" timestamptz not null);`);
    this.addSql(`create index "idempotency_records_created_at_index" on "idempotency_records" ("created_at");`);
    this.addSql(`alter table "idempotency_records" add constraint "idempotency_records_api_key_id_key_unique" unique ("api_key_id", "key");`);

    this.addSql(`create table "inbound_webhooks" ("id" serial primary key, "provider" varchar(32) not null, "dedupe_key" varchar(255) null, "event_type" varchar(64) null, "session_id" varchar(40) null, "outcome" varchar(32) not null, "headers" jsonb not null, "raw_body" text not null, "received_at" timestamptz not null);`);
    this.addSql(`create index "inbound_webhooks_session_id_index" on "inbound_webhooks" ("session_id");`);
    this.addSql(`create index "inbound_webhooks_received_at_index" on "inbound_webhooks" ("received_at");`);
    this.addSql(`alter table "inbound_webhooks" add constraint "inbound_webhooks_provider_dedupe_key_unique" unique ("provider", "dedupe_key");`);

    this.addSql(`create table "job_runs" ("id" varchar(40) not null, "job" varchar(64) not null, "instance_id" varchar(128) not null, "started_at" timestamptz not null, "finished_at" timestamptz null, "status" varchar(16) not null default 'running', "examined" int not null default 0, "changed" int not null default 0, "error" text null, constraint "job_runs_pkey" primary key ("id"));`);
    this.addSql(`create index "job_runs_job_started_at_index" on "job_runs" ("job", "started_at");`);

    this.addSql(`create table "job_states" ("job" varchar(64) not null, "paused" boolean not null default false, "last_run_at" timestamptz null, "last_success_at" timestamptz null, "updated_at" timestamptz not null, constraint "job_states_pkey" primary key ("job"));`);

    this.addSql(`create table "products" ("id" serial primary key, "name" varchar(255) not null, "description" text null, "amount" bigint not null, "currency" varchar(3) not null, "active" boolean not null default true, "spayon_product_id" int null, "metadata" jsonb not null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`);
    this.addSql(`create index "products_active_currency_index" on "products" ("active", "currency");`);

    this.addSql(`create table "sessions" ("id" varchar(40) not null, "provider" varchar(32) not null, "provider_session_id" varchar(255) null, "mode" varchar(32) not null default 'payment', "status" varchar(16) not null default 'open', "late" boolean not null default false, "amount" bigint null, "currency" varchar(3) null, "description" text null, "product_id" int null, "customer_id" varchar(40) null, "order_id" varchar(255) null, "redirect_url" text null, "return_url" text not null, "cancel_url" text null, "callback_url" text null, "payment_methods" jsonb null, "default_payment_method" varchar(64) null, "locale" varchar(16) null, "expires_at" timestamptz not null, "completed_at" timestamptz null, "failure" jsonb null, "metadata" jsonb not null, "provider_status" varchar(64) null, "last_provider_update_at" timestamptz null, "expiry_check_failures" int not null default 0, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "sessions_pkey" primary key ("id"));`);
    this.addSql(`create index "sessions_product_id_index" on "sessions" ("product_id");`);
    this.addSql(`create index "sessions_customer_id_index" on "sessions" ("customer_id");`);
    this.addSql(`create index "sessions_order_id_index" on "sessions" ("order_id");`);
    this.addSql(`create index "sessions_created_at_index" on "sessions" ("created_at");`);
    this.addSql(`create index "sessions_status_expires_at_index" on "sessions" ("status", "expires_at");`);
    this.addSql(`create index "sessions_provider_provider_session_id_index" on "sessions" ("provider", "provider_session_id");`);

    this.addSql(`create table "session_events" ("id" serial primary key, "session_id" varchar(40) not null, "from_status" varchar(16) null, "to_status" varchar(16) not null, "source" varchar(16) not null, "late" boolean not null default false, "provider_status" varchar(64) null, "note" text null, "created_at" timestamptz not null);`);
    this.addSql(`create index "session_events_session_id_created_at_index" on "session_events" ("session_id", "created_at");`);
    this.addSql(`alter table "session_events" add constraint "session_events_session_id_to_status_unique" unique ("session_id", "to_status");`);

    this.addSql(`create table "webhook_endpoints" ("id" varchar(40) not null, "url" text not null, "enabled_events" jsonb not null, "description" text null, "secret" varchar(128) not null, "created_at" timestamptz not null, "deleted_at" timestamptz null, constraint "webhook_endpoints_pkey" primary key ("id"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "admin_users" cascade;`);

    this.addSql(`drop table if exists "api_keys" cascade;`);

    this.addSql(`drop table if exists "customers" cascade;`);

    this.addSql(`drop table if exists "deliveries" cascade;`);

    this.addSql(`drop table if exists "delivery_attempts" cascade;`);

    this.addSql(`drop table if exists "events" cascade;`);

    this.addSql(`drop table if exists "idempotency_records" cascade;`);

    this.addSql(`drop table if exists "inbound_webhooks" cascade;`);

    this.addSql(`drop table if exists "job_runs" cascade;`);

    this.addSql(`drop table if exists "job_states" cascade;`);

    this.addSql(`drop table if exists "products" cascade;`);

    this.addSql(`drop table if exists "sessions" cascade;`);

    this.addSql(`drop table if exists "session_events" cascade;`);

    this.addSql(`drop table if exists "webhook_endpoints" cascade;`);
  }

}
