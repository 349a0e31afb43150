import { ArgumentMetadata, PipeTransform, ValidationError, ValidationPipe } from '@nestjs/common';
import { InvalidRequest } from '@paymux/payments';

/**
 * Request validation for bodies and queries: unknown fields rejected (not ignored), the first
 * failure reported as a 400 with `param` naming the field (dotted for nested ones).
 */
export function apiValidationPipe(): PipeTransform {
  return new PathParamsAsSent(new ApiValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    stopAtFirstError: true,
    exceptionFactory: (errors) => toInvalidRequest(errors),
  }));
}

/**
 * A path parameter with no class to validate is returned as it is, at once: the validation pipe
 * would return it unchanged too (see ApiValidationPipe), after an async round every request paid for.
 */
class PathParamsAsSent implements PipeTransform {
  constructor(private readonly validation: ApiValidationPipe) {}

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'param' && !this.validation.validates(metadata)) return value;
    return this.validation.transform(value, metadata);
  }
}

function toInvalidRequest(errors: ValidationError[], prefix = ''): InvalidRequest {
  const first = errors[0];
  if (!first) return new InvalidRequest(undefined, 'Invalid request');
  const param = prefix ? `${prefix}.${first.property}` : first.property;
  if (first.constraints) {
    const [kind, message] = Object.entries(first.constraints)[0];
    if (kind === 'whitelistValidation') return new InvalidRequest(param, `${param} is not a known field`, 'parameter_unknown');
    if (kind === 'isDefined' || kind === 'required') return new InvalidRequest(param, message, 'parameter_missing');
    return new InvalidRequest(param, message.replace(first.property, param));
  }
  if (first.children?.length) return toInvalidRequest(first.children, param);
  return new InvalidRequest(param, `${param} is invalid`);
}

/** Path parameters are left as sent: their own pipes decide (an id that is not an id is a 404). */
class ApiValidationPipe extends ValidationPipe {
  /** Whether `metadata` names a class to validate (not a built-in type, not absent): the pipe's own test. */
  validates(metadata: ArgumentMetadata): boolean {
    return this.toValidate(metadata);
  }

  protected override transformPrimitive(value: unknown, metadata: ArgumentMetadata): unknown {
    return metadata.type === 'param' ? value : super.transformPrimitive(value, metadata);
  }
}
