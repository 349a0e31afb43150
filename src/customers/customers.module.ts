import { Module } from '@nestjs/common';
import { CustomersController } from './customers.controller';
import { CustomersService } from './customers.service';
import { SessionCustomers } from './session-customers';

@Module({ controllers: [CustomersController], providers: [CustomersService, SessionCustomers], exports: [CustomersService, SessionCustomers] })
export class CustomersModule {}
