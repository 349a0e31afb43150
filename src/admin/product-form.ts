import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { currencyExponent, MoneyError, parseMajorUnits, toMajorUnitString } from '@paymux/payments';
import { CreateProductDto, UpdateProductDto } from '../products/dto/product.dto';
import { SPAYON_CATALOGUE } from '../products/provider-products';

/**
 * The product form of the panel speaks major units ("5000.00" AMD) while the API and the
 * database speak minor units (500000). These functions translate between the two and validate
 * through the API's own DTOs, so the form and the API accept and refuse the same values.
 */
export type FormPayload = Record<string, unknown>;
export type FieldErrors = Record<string, { message: string }>;

/** Form field → DTO field, where they differ. */
const DTO_FIELD: Record<string, string> = { spayonProductId: 'spayon_product_id' };
const FORM_FIELD: Record<string, string> = { spayon_product_id: 'spayonProductId' };
const FORM_FIELDS = ['name', 'description', 'amount', 'currency', 'active', 'spayonProductId'];

export type ProductFormResult<T> = { dto: T; errors: null } | { dto: null; errors: FieldErrors };

export function readCreateForm(payload: FormPayload): Promise<ProductFormResult<CreateProductDto>> {
  return readForm(CreateProductDto, payload, null);
}

/** Only the fields present in the form are changed; the amount is read in `currentCurrency` unless the form changes it. */
export function readUpdateForm(payload: FormPayload, currentCurrency: string): Promise<ProductFormResult<UpdateProductDto>> {
  return readForm(UpdateProductDto, payload, currentCurrency);
}

/**
 * The record's params as the form and the list show them: the amount in major units, and the
 * Spayon entry of the product's catalogue ids (flattened as `providerProducts.spayon`) as its
 * own field.
 */
export function toFormParams(params: Record<string, unknown>): Record<string, unknown> {
  const shown = withSpayonProductId(params);
  const { amount, currency } = shown;
  const minor = typeof amount === 'string' && /^\d+$/.test(amount) ? Number(amount) : amount;
  if (typeof minor !== 'number' || typeof currency !== 'string') return shown;
  try {
    return { ...shown, amount: toMajorUnitString(minor, currency) };
  } catch {
    return shown;
  }
}

function withSpayonProductId(params: Record<string, unknown>): Record<string, unknown> {
  const key = `providerProducts.${SPAYON_CATALOGUE}`;
  if (!Object.keys(params).some((name) => name === 'providerProducts' || name.startsWith('providerProducts.'))) return params;
  const id = params[key];
  return { ...params, spayonProductId: id === undefined || id === null || id === '' ? null : Number(id) };
}

async function readForm<T extends object>(
  dtoClass: new () => T,
  payload: FormPayload,
  currentCurrency: string | null,
): Promise<ProductFormResult<T>> {
  const plain: Record<string, unknown> = {};
  const errors: FieldErrors = {};
  for (const field of FORM_FIELDS) {
    if (!(field in payload)) continue;
    const value = payload[field];
    const text = typeof value === 'string' ? value.trim() : value;
    const dtoField = DTO_FIELD[field] ?? field;
    if (field === 'description' || field === 'spayonProductId') {
      plain[dtoField] = text === '' || text === null ? null : field === 'spayonProductId' && typeof text === 'string' && /^\d+$/.test(text) ? Number(text) : text;
    } else if (field === 'active') {
      plain[dtoField] = text === 'true' || text === true ? true : text === 'false' || text === false ? false : text;
    } else if (field !== 'amount') {
      plain[dtoField] = text;
    }
  }
  let amountUnreadable = false;
  if ('amount' in payload) {
    const currency = typeof plain.currency === 'string' ? plain.currency.toUpperCase() : currentCurrency;
    const raw = payload.amount;
    const text = typeof raw === 'string' ? raw.trim() : '';
    if (text === '') {
      errors.amount = { message: 'amount is required' };
    } else if (currency === null || !isKnownCurrency(currency)) {
      amountUnreadable = true;
    } else {
      try {
        plain.amount = parseMajorUnits(text, currency);
      } catch (error) {
        if (!(error instanceof MoneyError)) throw error;
        errors.amount = { message: error.message };
      }
    }
  }
  const dto = plainToInstance(dtoClass, plain);
  const failures = await validate(dto, { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true });
  for (const failure of failures) {
    const field = FORM_FIELD[failure.property] ?? failure.property;
    if (field === 'amount' && amountUnreadable) continue;
    const message = Object.values(failure.constraints ?? {})[0] ?? `${failure.property} is invalid`;
    errors[field] ??= { message };
  }
  return Object.keys(errors).length > 0 ? { dto: null, errors } : { dto, errors: null };
}

function isKnownCurrency(code: string): boolean {
  try {
    currencyExponent(code);
    return true;
  } catch {
    return false;
  }
}
