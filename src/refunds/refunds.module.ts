import { Module } from '@nestjs/common';
import { RoutingModule } from '../routing/routing.module';
import { SessionsModule } from '../sessions/sessions.module';
import { RefundLedger } from './refund-ledger';
import { RefundsController, SessionRefundsController } from './refunds.controller';
import { RefundsService } from './refunds.service';

/** Refunds of paid sessions: the API, the ledger every status change goes through, the provider calls. */
@Module({
  imports: [SessionsModule, RoutingModule],
  controllers: [SessionRefundsController, RefundsController],
  providers: [RefundsService, RefundLedger],
  exports: [RefundsService, RefundLedger],
})
export class RefundsModule {}
