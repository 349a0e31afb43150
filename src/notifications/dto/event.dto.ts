import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQuery } from '../../http/pagination';
import { SessionView } from '../../sessions/dto/session.view';
import { EVENT_TYPES } from '../outbox';

export class EventData {
  @ApiProperty({ type: SessionView, description: 'The session (or customer) as the API showed it when the event happened' })
  object!: Record<string, unknown>;
}

/** Exactly the JSON delivered to endpoints. */
export class EventView {
  @ApiProperty({ example: 'evt_01JD…' }) id!: string;
  @ApiProperty({ enum: ['event'] }) object!: 'event';
  @ApiProperty({ enum: EVENT_TYPES }) type!: string;
  @ApiProperty() created_at!: string;
  @ApiProperty({ type: EventData }) data!: EventData;
}

export class EventList {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [EventView] }) data!: EventView[];
  @ApiProperty() has_more!: boolean;
}

export class DeliveryAttemptView {
  @ApiProperty({ description: '1 for the first attempt of this delivery' }) attempt!: number;
  @ApiProperty({ type: Number, nullable: true, description: "The endpoint's HTTP status; null when none arrived" }) status_code!: number | null;
  @ApiProperty() duration_ms!: number;
  @ApiProperty({ type: String, nullable: true, description: "The first 1 kB of the endpoint's answer" }) response_body!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why no usable answer arrived (timeout, reset, refused address…)' }) error!: string | null;
  @ApiProperty() created_at!: string;
}

export class DeliveryView {
  @ApiProperty({ example: 'dlv_01JD…' }) id!: string;
  @ApiProperty({ enum: ['delivery'] }) object!: 'delivery';
  @ApiProperty({ type: String, nullable: true, description: "The webhook endpoint; null for the session's callback_url" }) endpoint_id!: string | null;
  @ApiProperty() url!: string;
  @ApiProperty({ enum: ['pending', 'delivered', 'failed'] }) state!: string;
  @ApiProperty() attempt_count!: number;
  @ApiProperty({ type: String, nullable: true }) next_attempt_at!: string | null;
  @ApiProperty({ type: String, nullable: true }) delivered_at!: string | null;
  @ApiProperty() created_at!: string;
  @ApiProperty({ type: [DeliveryAttemptView], description: 'Oldest first' }) attempts!: DeliveryAttemptView[];
}

export class EventWithDeliveriesView extends EventView {
  @ApiProperty({ type: [DeliveryView] }) deliveries!: DeliveryView[];
}

export class ListEventsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: EVENT_TYPES })
  @IsOptional()
  @IsIn(EVENT_TYPES as unknown as string[], { message: `type must be one of ${EVENT_TYPES.join(', ')}` })
  type?: string;

  @ApiPropertyOptional({ example: 'sess_01JD…' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  session_id?: string;
}
