import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsCalendarInstant, IsMinorAmount, OptionalNotNull } from '../../http/dto-rules';
import { SESSION_STATUSES } from '@paymux/payments';
import { PageQuery } from '../../http/pagination';

export class FailureView {
  @ApiProperty() code!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ type: String, nullable: true }) source!: string | null;
}

export class AmountMismatchView {
  @ApiProperty({ description: 'What the provider reported, in minor units' }) amount!: number;
  @ApiProperty() currency!: string;
  @ApiProperty() reported_at!: string;
}

export class RoutingAttemptError {
  @ApiProperty() code!: string;
  @ApiProperty() message!: string;
}

export class RoutingAttemptView {
  @ApiProperty() provider!: string;
  @ApiProperty({ enum: ['created', 'failed', 'skipped'], description: 'skipped: its circuit breaker was open' }) outcome!: string;
  @ApiProperty({ type: RoutingAttemptError, nullable: true }) error!: RoutingAttemptError | null;
  @ApiProperty({ description: 'How long the provider call took' }) duration_ms!: number;
}

export class RoutingView {
  @ApiProperty({ enum: ['pinned', 'rule', 'providers_order'], description: 'pinned: the request named `provider`; rule: a ROUTING_RULES rule; else PROVIDERS_ORDER' })
  chosen_by!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The name of the rule that chose, when chosen_by is rule' }) rule!: string | null;
  @ApiProperty({ type: [RoutingAttemptView], description: 'Every provider tried at creation, in order' }) attempts!: RoutingAttemptView[];
}

export class SessionView {
  @ApiProperty({ example: 'sess_01JD…' }) id!: string;
  @ApiProperty({ enum: ['session'] }) object!: 'session';
  @ApiProperty() provider!: string;
  @ApiProperty({ type: String, nullable: true }) provider_session_id!: string | null;
  @ApiProperty({ enum: ['payment', 'customer', 'customer_payment'] }) mode!: string;
  @ApiProperty({ enum: SESSION_STATUSES }) status!: string;
  @ApiPropertyOptional({ description: 'Present and true when the provider confirmed payment after paymux expired or cancelled the session' })
  late?: boolean;
  @ApiPropertyOptional({
    type: () => AmountMismatchView,
    description: 'Present when a provider reported charging another amount or currency than the session\'s (never a silent success)',
  })
  amount_mismatch?: AmountMismatchView;
  @ApiProperty({ type: Number, nullable: true, description: 'Minor units' }) amount!: number | null;
  @ApiProperty({ enum: ['automatic', 'manual'], description: 'manual: an authorized payment waits in requires_capture for the merchant\'s capture' }) capture!: string;
  @ApiProperty({ type: Number, nullable: true, description: 'Minor units captured, once the session succeeded (less than amount after a partial capture); what refunds are limited by' })
  captured_amount!: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'Manual capture: when the provider releases the hold if it is not captured by then' })
  capture_before!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Manual capture: when paymux asked a provider that settles captures later (Smart Glocal) to capture; the session stays requires_capture until it has' })
  capture_requested_at!: string | null;
  @ApiProperty({ type: String, nullable: true }) currency!: string | null;
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty({ type: Number, nullable: true }) product_id!: number | null;
  @ApiProperty({ type: String, nullable: true }) customer_id!: string | null;
  @ApiProperty({ type: String, nullable: true }) order_id!: string | null;
  @ApiProperty({ type: String, nullable: true }) redirect_url!: string | null;
  @ApiProperty() return_url!: string;
  @ApiProperty({ type: String, nullable: true }) cancel_url!: string | null;
  @ApiProperty({ type: String, nullable: true }) callback_url!: string | null;
  @ApiProperty({ type: [String], nullable: true }) payment_methods!: string[] | null;
  @ApiProperty({ type: String, nullable: true }) locale!: string | null;
  @ApiProperty() expires_at!: string;
  @ApiProperty() created_at!: string;
  @ApiProperty() updated_at!: string;
  @ApiProperty({ type: String, nullable: true }) completed_at!: string | null;
  @ApiProperty({ type: FailureView, nullable: true }) failure!: FailureView | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) metadata!: Record<string, string>;
  @ApiProperty({ type: RoutingView, nullable: true, description: 'How the provider was chosen and each creation attempt (failover)' })
  routing!: RoutingView | null;
}

export class SessionList {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [SessionView] }) data!: SessionView[];
  @ApiProperty() has_more!: boolean;
}

export class SessionEventView {
  @ApiProperty() id!: number;
  @ApiProperty({ enum: ['session_event'] }) object!: 'session_event';
  @ApiProperty() session_id!: string;
  @ApiProperty({ type: String, nullable: true }) from_status!: string | null;
  @ApiProperty() to_status!: string;
  @ApiProperty({ enum: ['api', 'webhook', 'sync', 'scheduler', 'admin'] }) source!: string;
  @ApiProperty() late!: boolean;
  @ApiProperty({ type: String, nullable: true }) provider_status!: string | null;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty() created_at!: string;
}

export class SessionEventList {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [SessionEventView] }) data!: SessionEventView[];
  @ApiProperty() has_more!: boolean;
}

export class ListSessionsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: SESSION_STATUSES })
  @IsOptional()
  @IsIn(SESSION_STATUSES as unknown as string[], { message: `status must be one of ${SESSION_STATUSES.join(', ')}` })
  status?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(32)
  provider?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(255)
  order_id?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  customer_id?: string;

  @ApiPropertyOptional({ description: 'ISO 8601 instant' })
  @IsOptional()
  @IsCalendarInstant()
  created_gte?: string;

  @ApiPropertyOptional({ description: 'ISO 8601 instant' })
  @IsOptional()
  @IsCalendarInstant()
  created_lt?: string;
}

export class CaptureSessionDto {
  @ApiPropertyOptional({ description: 'Minor units to capture, at most the authorized amount (default: all of it); less only where the provider allows partial capture' })
  @OptionalNotNull()
  @IsMinorAmount()
  amount?: number;
}
