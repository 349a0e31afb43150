import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ResourceId } from '../http/resource-id.pipe';
import { EventList, EventWithDeliveriesView, ListEventsQuery } from './dto/event.dto';
import { EventsService } from './events.service';
import { Idempotent } from '../sessions/idempotent.decorator';

const eventId = ResourceId.prefixed('event', 'evt');

@ApiTags('events')
@ApiBearerAuth()
@Controller('v1/events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Get()
  @ApiOkResponse({ type: EventList, description: 'Newest first; each item is exactly the JSON delivered' })
  list(@Query() query: ListEventsQuery) {
    return this.events.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: EventWithDeliveriesView })
  get(@Param('id', eventId) id: string): Promise<EventWithDeliveriesView> {
    return this.events.get(id);
  }

  @Idempotent()
  @Post(':id/redeliver')
  @HttpCode(200)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiOkResponse({ type: EventWithDeliveriesView, description: 'Every delivery (failed and delivered ones too) is due again now' })
  redeliver(@Param('id', eventId) id: string): Promise<EventWithDeliveriesView> {
    return this.events.redeliver(id);
  }
}
