import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsArray, IsDefined, IsIn, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { IsWebUrl } from '../../http/dto-rules';
import { PageQuery } from '../../http/pagination';
import { EVENT_TYPES } from '../outbox';

export class CreateWebhookEndpointDto {
  @ApiProperty({ description: 'Where events are POSTed; in production https and a public address', example: 'https://shop.example/paymux/webhooks' })
  @IsDefined()
  @IsWebUrl()
  url!: string;

  @ApiPropertyOptional({ type: [String], enum: EVENT_TYPES, description: 'Event types to send; default: all of them (also types added later)' })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(EVENT_TYPES as unknown as string[], { each: true, message: `enabled_events must contain only ${EVENT_TYPES.join(', ')}` })
  enabled_events?: string[];

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 500 })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(500)
  description?: string | null;
}

export class WebhookEndpointView {
  @ApiProperty({ example: 'we_01JD…' }) id!: string;
  @ApiProperty({ enum: ['webhook_endpoint'] }) object!: 'webhook_endpoint';
  @ApiProperty() url!: string;
  @ApiProperty({ type: [String], enum: EVENT_TYPES }) enabled_events!: string[];
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty() created_at!: string;
}

export class CreatedWebhookEndpointView extends WebhookEndpointView {
  @ApiProperty({ description: 'Signing secret (whsec_…): in this answer only, never shown again', example: 'whsec_…' })
  secret!: string;
}

export class DeletedWebhookEndpointView extends WebhookEndpointView {
  @ApiProperty({ enum: [true] }) deleted!: true;
}

export class WebhookEndpointList {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [WebhookEndpointView] }) data!: WebhookEndpointView[];
  @ApiProperty() has_more!: boolean;
}

export class ListWebhookEndpointsQuery extends PageQuery {}
