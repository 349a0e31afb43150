import { Migration } from '@mikro-orm/migrations';

export class Migration20261203140000_ManualCapture extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`sessions\` add column \`capture_method\` text not null default 'automatic';`);
    this.addSql(`alter table \`sessions\` add column \`authorized_at\` datetime null;`);
    this.addSql(`alter table \`sessions\` add column \`capture_requested_at\` datetime null;`);
    this.addSql(`alter table \`sessions\` add column \`capture_before\` datetime null;`);
    this.addSql(`alter table \`sessions\` add column \`captured_amount\` bigint null;`);
    this.addSql(`update \`sessions\` set \`captured_amount\` = \`amount\` where \`status\` = 'succeeded';`);
    this.addSql(`create index \`sessions_status_capture_before_index\` on \`sessions\` (\`status\`, \`capture_before\`);`);
  }

}
