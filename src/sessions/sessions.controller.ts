import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedRequest } from '../api-keys/api-key.guard';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { ResourceId } from '../http/resource-id.pipe';
import { DestinationPolicy } from '../notifications/destination-policy';
import { checkCallbackUrl } from './callback-url-check';
import { ClaimedRequest } from './idempotency.interceptor';
import { IdempotencyService } from './idempotency.service';
import { resumable } from './resumable-creation';
import { CreateSessionDto } from './dto/create-session.dto';
import { CaptureSessionDto, ListSessionsQuery, SessionEventList, SessionList, SessionView } from './dto/session.view';
import { SessionCapture } from './session-capture';
import { renderSession } from './session-view';
import { SessionsService } from './sessions.service';
import { Idempotent } from './idempotent.decorator';

const sessionId = ResourceId.prefixed('session', 'sess');
const idempotencyHeader = { name: 'Idempotency-Key', required: false, description: '1–255 characters; the first complete answer is replayed for 24 h' };

@ApiTags('sessions')
@ApiBearerAuth()
@Controller('v1/sessions')
export class SessionsController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly destinations: DestinationPolicy,
    private readonly idempotency: IdempotencyService,
    private readonly captures: SessionCapture,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Idempotent()
  @Post()
  @ApiHeader(idempotencyHeader)
  @ApiCreatedResponse({ type: SessionView })
  async create(@Body() body: CreateSessionDto, @Req() request: AuthenticatedRequest & ClaimedRequest): Promise<SessionView> {
    await checkCallbackUrl(this.destinations, this.config.production, body.callback_url);
    const key = request.headers['idempotency-key'];
    const session = await this.sessions.create(body, {
      apiKeyId: request.apiKey?.id ?? null,
      idempotencyKey: typeof key === 'string' ? key : null,
      ...resumable(this.idempotency, request.idempotencyClaim),
    });
    return renderSession(session);
  }

  @Get()
  @ApiOkResponse({ type: SessionList })
  list(@Query() query: ListSessionsQuery) {
    return this.sessions.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: SessionView })
  async get(@Param('id', sessionId) id: string): Promise<SessionView> {
    return renderSession(await this.sessions.get(id));
  }

  @Get(':id/events')
  @ApiOkResponse({ type: SessionEventList })
  events(@Param('id', sessionId) id: string) {
    return this.sessions.events(id);
  }

  @Idempotent()
  @Post(':id/cancel')
  @HttpCode(200)
  @ApiHeader(idempotencyHeader)
  @ApiOkResponse({ type: SessionView })
  async cancel(@Param('id', sessionId) id: string): Promise<SessionView> {
    return renderSession(await this.sessions.cancel(id, 'api'));
  }

  @Idempotent()
  @Post(':id/capture')
  @HttpCode(200)
  @ApiHeader(idempotencyHeader)
  @ApiOkResponse({ type: SessionView, description: 'A requires_capture session captured: succeeded (or processing while the provider settles it)' })
  async capture(@Param('id', sessionId) id: string, @Body() body: CaptureSessionDto): Promise<SessionView> {
    return renderSession(await this.captures.capture(id, body.amount, 'api'));
  }

  @Idempotent()
  @Post(':id/sync')
  @HttpCode(200)
  @ApiHeader(idempotencyHeader)
  @ApiOkResponse({ type: SessionView })
  async sync(@Param('id', sessionId) id: string): Promise<SessionView> {
    return renderSession(await this.sessions.sync(id, 'sync'));
  }
}
