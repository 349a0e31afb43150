import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsIn, IsInt, IsObject, IsString, Length, Max, MaxLength, Min,
  ValidateNested, IsEmail,
} from 'class-validator';
import { CAPTURE_METHODS, CaptureMethod, SESSION_MODES, SessionMode } from '@paymux/payments';
import { IsCurrencyCode, IsMetadata, IsMinorAmount, IsWebUrl, OptionalNotNull } from '../../http/dto-rules';
import { PROVIDER_NAMES } from '../../providers/provider-list';

export class InlineCustomerDto {
  @ApiPropertyOptional({ maxLength: 255, description: 'Upserted by this reference' })
  @OptionalNotNull()
  @IsString()
  @Length(1, 255)
  reference?: string;

  @ApiPropertyOptional({ maxLength: 320 })
  @OptionalNotNull()
  @IsString()
  @MaxLength(320)
  @IsEmail({}, { message: 'email must be an e-mail address' })
  email?: string;

  @ApiPropertyOptional({ maxLength: 255 })
  @OptionalNotNull()
  @IsString()
  @Length(1, 255)
  username?: string;

  @ApiPropertyOptional({ maxLength: 255 })
  @OptionalNotNull()
  @IsString()
  @Length(1, 255)
  full_name?: string;
}

export class CreateSessionDto {
  @ApiPropertyOptional({ enum: [...PROVIDER_NAMES], description: 'When absent, the first configured provider that supports the request' })
  @OptionalNotNull()
  @IsString()
  @MaxLength(32)
  provider?: string;

  @ApiPropertyOptional({ enum: SESSION_MODES, default: 'payment' })
  @OptionalNotNull()
  @IsIn(SESSION_MODES as unknown as string[], { message: `mode must be one of ${SESSION_MODES.join(', ')}` })
  mode?: SessionMode;

  @ApiPropertyOptional({
    enum: CAPTURE_METHODS,
    default: 'automatic',
    description: 'manual: the payment is only authorized and held (status requires_capture) until POST /v1/sessions/:id/capture or cancel; only for providers that support it (KOMOJU, Smart Glocal with delayed capture)',
  })
  @OptionalNotNull()
  @IsIn(CAPTURE_METHODS as unknown as string[], { message: `capture must be one of ${CAPTURE_METHODS.join(', ')}` })
  capture?: CaptureMethod;

  @ApiPropertyOptional({ description: 'A marketplace product; excludes amount, currency, description' })
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  product_id?: number;

  @ApiPropertyOptional({ description: "Minor units (USD 1000 = $10.00); with currency when there is no product_id" })
  @OptionalNotNull()
  @IsMinorAmount()
  amount?: number;

  @ApiPropertyOptional({ example: 'AMD' })
  @OptionalNotNull()
  @IsCurrencyCode()
  currency?: string;

  @ApiPropertyOptional({ maxLength: 1000 })
  @OptionalNotNull()
  @IsString()
  @Length(1, 1000)
  description?: string;

  @ApiPropertyOptional({ description: 'An existing customer; excludes customer' })
  @OptionalNotNull()
  @IsString()
  @MaxLength(64)
  customer_id?: string;

  @ApiPropertyOptional({ type: InlineCustomerDto })
  @OptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => InlineCustomerDto)
  customer?: InlineCustomerDto;

  @ApiPropertyOptional({ maxLength: 255 })
  @OptionalNotNull()
  @IsString()
  @Length(1, 255)
  order_id?: string;

  @ApiProperty({ description: 'Where the buyer returns once a payment is made or under way, with paymux_session_id added; https in production' })
  @IsDefined()
  @IsWebUrl()
  return_url!: string;

  @ApiPropertyOptional({ description: 'Where the buyer returns when no payment was made (backed out, declined, expired, cancelled), with paymux_session_id added; return_url when absent; https in production' })
  @OptionalNotNull()
  @IsWebUrl()
  cancel_url?: string;

  @ApiPropertyOptional({ description: "Where paymux sends this session's notifications, besides the configured endpoints" })
  @OptionalNotNull()
  @IsWebUrl()
  callback_url?: string;

  @ApiPropertyOptional({ type: [String] })
  @OptionalNotNull()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  payment_methods?: string[];

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsString()
  @MaxLength(64)
  default_payment_method?: string;

  @ApiPropertyOptional({ example: 'en' })
  @OptionalNotNull()
  @IsString()
  @MaxLength(16)
  locale?: string;

  @ApiPropertyOptional({ description: "Bounded by the provider's own expiry range; the provider's default when absent" })
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(31 * 86400)
  expires_in_seconds?: number;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @OptionalNotNull()
  @IsMetadata()
  metadata?: Record<string, string>;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Payment details for a provider that takes them server to server (card data, where its settings allow it): passed through, never stored',
  })
  @OptionalNotNull()
  @IsObject()
  payment_details?: Record<string, unknown>;
}
