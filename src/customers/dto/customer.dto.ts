import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Length, MaxLength, ValidateIf } from 'class-validator';
import { IsMetadata, OptionalNotNull } from '../../http/dto-rules';
import { PageQuery } from '../../http/pagination';

export class CreateCustomerDto {
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 255, description: "The merchant's own user id; unique" })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @Length(1, 255)
  reference?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 320 })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(320)
  @IsEmail({}, { message: 'email must be an e-mail address' })
  email?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 255 })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @Length(1, 255)
  username?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 255 })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @Length(1, 255)
  full_name?: string | null;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @OptionalNotNull()
  @IsMetadata()
  metadata?: Record<string, string>;
}

/** `null` is refused for every field but the nullable ones (their own rules allow it). */
export class UpdateCustomerDto extends PartialType(CreateCustomerDto, { skipNullProperties: false }) {}

export class ListCustomersQuery extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(320)
  email?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(255)
  reference?: string;
}

export class CustomerView {
  @ApiProperty({ example: 'cus_01JD…' }) id!: string;
  @ApiProperty({ enum: ['customer'] }) object!: 'customer';
  @ApiProperty({ type: String, nullable: true }) reference!: string | null;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiProperty({ type: String, nullable: true }) username!: string | null;
  @ApiProperty({ type: String, nullable: true }) full_name!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'Ids providers gave this customer' })
  provider_customers!: Record<string, string>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) metadata!: Record<string, string>;
  @ApiProperty() created_at!: string;
  @ApiProperty() updated_at!: string;
}

export class CustomerList {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [CustomerView] }) data!: CustomerView[];
  @ApiProperty() has_more!: boolean;
}

export class DeletedView {
  @ApiProperty() id!: string;
  @ApiProperty() object!: string;
  @ApiProperty() deleted!: boolean;
}
