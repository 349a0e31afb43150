import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../http/public.decorator';

/**
 * The baseline `npm run bench` compares every scenario with: the full HTTP stack (adapter,
 * request id, guards, filters, metrics hooks, JSON parsing) and no work at all.
 */
@ApiExcludeController()
@Public()
@Controller('bench')
export class NoopController {
  @Get('noop')
  read() {
    return { ok: true };
  }

  @Post('noop')
  @HttpCode(200)
  write() {
    return { ok: true };
  }
}
