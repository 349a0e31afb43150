import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQuery } from '../../http/pagination';

export class RefundFailureView {
  @ApiProperty() code!: string;
  @ApiProperty() message!: string;
}

export class RefundView {
  @ApiProperty({ example: 're_01JD…' }) id!: string;
  @ApiProperty({ enum: ['refund'] }) object!: 'refund';
  @ApiProperty() session_id!: string;
  @ApiProperty() provider!: string;
  @ApiProperty({ type: String, nullable: true, description: "The provider's id of the refund, once known" }) provider_refund_id!: string | null;
  @ApiProperty({ description: 'Minor units' }) amount!: number;
  @ApiProperty() currency!: string;
  @ApiProperty({ enum: ['pending', 'succeeded', 'failed'] }) status!: string;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({ description: 'Taken back by the card holder\'s bank, not by the merchant' }) chargeback!: boolean;
  @ApiProperty({ enum: ['merchant', 'provider'], description: 'provider: made at the provider (its dashboard, a chargeback) and reported to paymux' })
  initiated_by!: string;
  @ApiProperty({ type: RefundFailureView, nullable: true, description: 'Why the provider refused it (status failed)' }) failure!: RefundFailureView | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) metadata!: Record<string, string>;
  @ApiProperty() created_at!: string;
  @ApiProperty() updated_at!: string;
  @ApiProperty({ type: String, nullable: true, description: 'When it became succeeded or failed' }) settled_at!: string | null;
}

export class RefundList {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [RefundView] }) data!: RefundView[];
  @ApiProperty() has_more!: boolean;
}

export const REFUND_STATUSES = ['pending', 'succeeded', 'failed'] as const;

export class ListRefundsQuery extends PageQuery {}

export class ListAllRefundsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: REFUND_STATUSES })
  @IsOptional()
  @IsIn(REFUND_STATUSES as unknown as string[], { message: `status must be one of ${REFUND_STATUSES.join(', ')}` })
  status?: string;

  @ApiPropertyOptional({ description: 'Only the refunds of this session' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  session_id?: string;
}
