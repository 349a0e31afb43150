import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { IsMetadata, OptionalNotNull } from '../../http/dto-rules';
import { IsRefundAmount } from './refund-amount.rule';

export class CreateRefundDto {
  @ApiPropertyOptional({ description: "Minor units of the session's currency (USD 1000 = $10.00); default: all that is left to refund", minimum: 1 })
  @OptionalNotNull()
  @IsRefundAmount()
  amount?: number;

  @ApiPropertyOptional({ maxLength: 500, description: 'Why: kept on the refund and sent to the provider where it takes one' })
  @OptionalNotNull()
  @IsString()
  @MaxLength(500)
  reason?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @OptionalNotNull()
  @IsMetadata()
  metadata?: Record<string, string>;
}
