import { SetMetadata } from '@nestjs/common';

export const PUBLIC_ROUTE = 'paymux:public';

/** The route needs no API key (health, metrics, provider webhooks, hosted pay pages). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);
