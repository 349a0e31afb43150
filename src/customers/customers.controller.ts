import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ResourceId } from '../http/resource-id.pipe';
import { CustomersService, renderCustomer } from './customers.service';
import { CreateCustomerDto, CustomerList, CustomerView, DeletedView, ListCustomersQuery, UpdateCustomerDto } from './dto/customer.dto';
import { Idempotent } from '../sessions/idempotent.decorator';

const customerId = ResourceId.prefixed('customer', 'cus');

@ApiTags('customers')
@ApiBearerAuth()
@Controller('v1/customers')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Idempotent()
  @Post()
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: CustomerView })
  async create(@Body() body: CreateCustomerDto): Promise<CustomerView> {
    return renderCustomer(await this.customers.create(body));
  }

  @Get()
  @ApiOkResponse({ type: CustomerList })
  list(@Query() query: ListCustomersQuery) {
    return this.customers.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: CustomerView })
  async get(@Param('id', customerId) id: string): Promise<CustomerView> {
    return renderCustomer(await this.customers.get(id));
  }

  @Patch(':id')
  @ApiOkResponse({ type: CustomerView })
  async update(@Param('id', customerId) id: string, @Body() body: UpdateCustomerDto): Promise<CustomerView> {
    return renderCustomer(await this.customers.update(id, body));
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiOkResponse({ type: DeletedView })
  async remove(@Param('id', customerId) id: string): Promise<DeletedView> {
    await this.customers.remove(id);
    return { id, object: 'customer', deleted: true };
  }
}
