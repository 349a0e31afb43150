import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ResourceId } from '../http/resource-id.pipe';
import {
  CreatedWebhookEndpointView,
  CreateWebhookEndpointDto,
  DeletedWebhookEndpointView,
  ListWebhookEndpointsQuery,
  WebhookEndpointList,
  WebhookEndpointView,
} from './dto/webhook-endpoint.dto';
import { WebhookEndpointsService } from './webhook-endpoints.service';
import { Idempotent } from '../sessions/idempotent.decorator';

const endpointId = ResourceId.prefixed('webhook endpoint', 'we');

@ApiTags('webhook endpoints')
@ApiBearerAuth()
@Controller('v1/webhook-endpoints')
export class WebhookEndpointsController {
  constructor(private readonly endpoints: WebhookEndpointsService) {}

  @Idempotent()
  @Post()
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: CreatedWebhookEndpointView, description: 'The only answer that shows the signing secret' })
  create(@Body() body: CreateWebhookEndpointDto): Promise<CreatedWebhookEndpointView> {
    return this.endpoints.create(body);
  }

  @Get()
  @ApiOkResponse({ type: WebhookEndpointList })
  list(@Query() query: ListWebhookEndpointsQuery) {
    return this.endpoints.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: WebhookEndpointView })
  get(@Param('id', endpointId) id: string): Promise<WebhookEndpointView> {
    return this.endpoints.get(id);
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiOkResponse({ type: DeletedWebhookEndpointView, description: 'Nothing more is sent to it, pending deliveries included' })
  remove(@Param('id', endpointId) id: string): Promise<DeletedWebhookEndpointView> {
    return this.endpoints.remove(id);
  }
}
