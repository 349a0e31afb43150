import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ResourceId } from '../http/resource-id.pipe';
import { Idempotent } from '../sessions/idempotent.decorator';
import { CreateRefundDto } from './dto/create-refund.dto';
import { ListAllRefundsQuery, ListRefundsQuery, RefundList, RefundView } from './dto/refund.view';
import { renderRefund } from './refund-view';
import { RefundsService } from './refunds.service';

const sessionId = ResourceId.prefixed('session', 'sess');
const refundId = ResourceId.prefixed('refund', 're');
const idempotencyHeader = { name: 'Idempotency-Key', required: false, description: '1–255 characters; the first complete answer is replayed for 24 h' };

@ApiTags('refunds')
@ApiBearerAuth()
@Controller('v1/sessions/:id/refunds')
export class SessionRefundsController {
  constructor(private readonly refunds: RefundsService) {}

  @Idempotent()
  @Post()
  @ApiHeader(idempotencyHeader)
  @ApiCreatedResponse({ type: RefundView, description: 'The refund: succeeded or pending as the provider answered, failed (with failure) when it refused' })
  async create(@Param('id', sessionId) id: string, @Body() body: CreateRefundDto): Promise<RefundView> {
    return renderRefund(await this.refunds.create(id, body, 'api'));
  }

  @Get()
  @ApiOkResponse({ type: RefundList })
  list(@Param('id', sessionId) id: string, @Query() query: ListRefundsQuery) {
    return this.refunds.listForSession(id, query);
  }
}

@ApiTags('refunds')
@ApiBearerAuth()
@Controller('v1/refunds')
export class RefundsController {
  constructor(private readonly refunds: RefundsService) {}

  @Get()
  @ApiOkResponse({ type: RefundList })
  list(@Query() query: ListAllRefundsQuery) {
    return this.refunds.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: RefundView })
  async get(@Param('id', refundId) id: string): Promise<RefundView> {
    return renderRefund(await this.refunds.get(id));
  }
}
