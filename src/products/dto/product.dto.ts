import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsDefined, IsIn, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { IsCurrencyCode, IsMetadata, IsMinorAmount, OptionalNotNull } from '../../http/dto-rules';
import { PageQuery } from '../../http/pagination';

export class CreateProductDto {
  @ApiProperty({ maxLength: 255, example: 'iPhone 16 Pro case' })
  @IsDefined()
  @IsString()
  @Length(1, 255)
  name!: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 5000 })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(5000)
  description?: string | null;

  @ApiProperty({ description: "Price in the currency's minor unit (USD 1000 = $10.00)", example: 500000, minimum: 0 })
  @IsDefined()
  @IsMinorAmount()
  amount!: number;

  @ApiProperty({ description: 'ISO 4217 code, any case on input, stored upper case', example: 'AMD' })
  @IsDefined()
  @IsCurrencyCode()
  currency!: string;

  @ApiPropertyOptional({ default: true })
  @OptionalNotNull()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ type: Number, nullable: true, maximum: 2147483647, description: "The product's id in the Spayon vendor panel (Spayon's product_id)" })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Max(2147483647, { message: 'spayon_product_id must be at most 2147483647' })
  @IsInt()
  @Min(1)
  spayon_product_id?: number | null;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, description: '≤ 20 keys, key ≤ 30 chars, value ≤ 500 chars' })
  @OptionalNotNull()
  @IsMetadata()
  metadata?: Record<string, string>;
}

/** `null` is refused for every field but the nullable ones (their own rules allow it). */
export class UpdateProductDto extends PartialType(CreateProductDto, { skipNullProperties: false }) {}

export class ListProductsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'active must be true or false' })
  active?: 'true' | 'false';

  @ApiPropertyOptional({ example: 'USD' })
  @IsOptional()
  @IsCurrencyCode()
  currency?: string;

  @ApiPropertyOptional({ description: 'Return products older than this product id' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value))
  @IsInt({ message: 'starting_after must be a product id' })
  declare starting_after?: string;
}

export class ProductView {
  @ApiProperty() id!: number;
  @ApiProperty({ enum: ['product'] }) object!: 'product';
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty({ description: 'Minor units' }) amount!: number;
  @ApiProperty() currency!: string;
  @ApiProperty() active!: boolean;
  @ApiProperty({ type: Number, nullable: true }) spayon_product_id!: number | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) metadata!: Record<string, string>;
  @ApiProperty() created_at!: string;
  @ApiProperty() updated_at!: string;
  @ApiPropertyOptional({ description: 'On DELETE: true when removed, false when archived because sessions reference it' })
  deleted?: boolean;
}

export class ProductList {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [ProductView] }) data!: ProductView[];
  @ApiProperty() has_more!: boolean;
}
