import { Controller, Get, Logger, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { InvalidRequest, isTerminal, NotFound, PaymuxError } from '@paymux/payments';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Clock } from '../clock';
import { Public } from '../http/public.decorator';
import { buyerDestination, isSessionId } from './buyer-return';
import { buyerErrorPage } from './buyer-page';
import { Session } from './session.entity';
import { SessionsService } from './sessions.service';

/** A session the provider told paymux about more recently than this is not asked again. */
const RELAY_SYNC_MIN_INTERVAL_MS = 2000;

/**
 * The buyer's way back from a provider's page (docs/API.md, "Return and cancel URLs"). Providers
 * get `PUBLIC_URL/v1/return/<session id>` as their return URL (and back button where they have
 * one); this learns the session's status — asking the provider when it is still open, so a payment
 * made a moment ago counts — and sends the buyer on to the session's own `return_url` or
 * `cancel_url`, with `paymux_session_id` added. It never redirects anywhere else.
 */
@ApiTags('sessions')
@Public()
@Controller('v1/return')
export class ReturnRelayController {
  private readonly logger = new Logger('return');

  constructor(
    private readonly sessions: SessionsService,
    private readonly clock: Clock,
  ) {}

  @Get(':id')
  @ApiOperation({ summary: "The buyer's return from the provider's page (no API key): 303 to the session's return_url or cancel_url" })
  @ApiParam({ name: 'id', description: 'paymux session id (sess_…)' })
  @ApiQuery({ name: 'session_id', required: false, description: 'the provider session id some providers append; ignored' })
  @ApiResponse({ status: 303, description: 'to return_url or cancel_url, with paymux_session_id added' })
  @ApiResponse({ status: 400, description: 'not a session id' })
  @ApiResponse({ status: 404, description: 'no such session' })
  async relay(@Param('id') id: string, @Query('session_id') _providerSessionId: string | undefined, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const wantsHtml = /text\/html/.test(String(request.headers.accept ?? ''));
    try {
      const session = await this.current(id);
      await reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').redirect(buyerDestination(session, session.id), 303);
    } catch (error) {
      if (!(error instanceof PaymuxError) || !wantsHtml) throw error;
      const [heading, text] = error instanceof NotFound
        ? ['Payment not found', 'This payment link is not known here. Go back to the shop and start again.']
        : ['Payment link not valid', 'This payment link is malformed. Go back to the shop and start again.'];
      await reply.code(error.httpStatus).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(buyerErrorPage(heading, text));
    }
  }

  /** The session, brought up to date with its provider while it is not final; as stored when the provider cannot answer. */
  private async current(id: string): Promise<Session> {
    if (!isSessionId(id)) throw new InvalidRequest('id', `'${id}' is not a session id`);
    const session = await this.sessions.get(id);
    if (isTerminal(session.status) || !session.providerSessionId) return session;
    // The route is public: reloading it cannot make paymux call a provider more than once per interval.
    const heardAt = session.lastProviderUpdateAt?.getTime();
    if (heardAt !== undefined && this.clock.now().getTime() - heardAt < RELAY_SYNC_MIN_INTERVAL_MS) return session;
    try {
      return await this.sessions.sync(id);
    } catch (error) {
      // The buyer still goes back to the shop; the reconcile job catches up with the provider.
      this.logger.warn({ sessionId: id, error: error instanceof Error ? error.message : String(error) }, 'return relay: provider status not available, using the stored one');
      return session;
    }
  }
}
