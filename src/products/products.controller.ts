import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ResourceId } from '../http/resource-id.pipe';
import { CreateProductDto, ListProductsQuery, ProductList, ProductView, UpdateProductDto } from './dto/product.dto';
import { ProductsService, renderProduct } from './products.service';
import { Idempotent } from '../sessions/idempotent.decorator';

@ApiTags('products')
@ApiBearerAuth()
@Controller('v1/products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Idempotent()
  @Post()
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: ProductView })
  async create(@Body() body: CreateProductDto): Promise<ProductView> {
    return renderProduct(await this.products.create(body));
  }

  @Get()
  @ApiOkResponse({ type: ProductList })
  list(@Query() query: ListProductsQuery) {
    return this.products.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: ProductView })
  async get(@Param('id', ResourceId.integer('product')) id: number): Promise<ProductView> {
    return renderProduct(await this.products.get(id));
  }

  @Patch(':id')
  @ApiOkResponse({ type: ProductView })
  async update(@Param('id', ResourceId.integer('product')) id: number, @Body() body: UpdateProductDto): Promise<ProductView> {
    return renderProduct(await this.products.update(id, body));
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiOkResponse({ type: ProductView, description: 'deleted: true when removed; false (and active: false) when archived' })
  remove(@Param('id', ResourceId.integer('product')) id: number): Promise<ProductView> {
    return this.products.remove(id);
  }
}
