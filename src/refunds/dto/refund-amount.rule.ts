import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import { MAX_AMOUNT } from '@paymux/payments';

/** A positive integer in minor units, exact in a JS number: a refund of nothing is no refund. */
export function IsRefundAmount(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyKey) =>
    registerDecorator({
      name: 'isRefundAmount',
      target: target.constructor,
      propertyName: propertyKey as string,
      options,
      validator: {
        validate: (value: unknown) => typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_AMOUNT,
        defaultMessage: (args: ValidationArguments) =>
          `${args.property} must be a positive integer in the currency's minor unit (e.g. 1000 = 10.00 USD)`,
      },
    });
}
