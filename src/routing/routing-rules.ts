import { createHash } from 'node:crypto';
import { ConfigError } from '../config/env-reader';

/**
 * Routing rules as data (ROUTING_RULES): a JSON array evaluated in order; the first rule whose
 * `match` fits the request and that names a provider able to serve it decides. Without a match,
 * PROVIDERS_ORDER decides. Parsed once at boot: a wrong rule stops the process naming the variable.
 */
export interface RoutingRule {
  readonly name: string;
  readonly match: RuleMatch;
  /** Tried in this order (the first one that fails over to the next). */
  readonly providers: readonly string[];
  /** A percentage split: the session's bucket picks the first provider, the others follow as fallbacks. */
  readonly split: readonly { readonly provider: string; readonly percent: number }[] | null;
}

export interface RuleMatch {
  readonly currencies: readonly string[] | null;
  /** Minor units, inclusive. */
  readonly amountMin: number | null;
  readonly amountMax: number | null;
  readonly paymentMethods: readonly string[] | null;
  readonly locales: readonly string[] | null;
  readonly modes: readonly string[] | null;
}

/** What rules look at. */
export interface RuleSubject {
  readonly mode: string;
  readonly amount: number | null;
  readonly currency: string | null;
  readonly locale: string | null;
  readonly paymentMethods: readonly string[] | null;
  readonly defaultPaymentMethod: string | null;
}

const VARIABLE = 'ROUTING_RULES';
const RULE_KEYS = ['name', 'match', 'providers', 'split'];
const MATCH_KEYS = ['currency', 'amount_min', 'amount_max', 'payment_method', 'locale', 'mode'];
const MODES = ['payment', 'customer', 'customer_payment'];
/** Names paymux itself uses for `routing.rule`-less choices; a rule may not take them. */
const RESERVED_NAMES = ['pinned', 'providers_order'];

export function parseRoutingRules(raw: string | null, knownProviders: readonly string[]): RoutingRule[] {
  if (raw === null) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError(VARIABLE, 'must be a JSON array of rules');
  }
  if (!Array.isArray(parsed)) throw new ConfigError(VARIABLE, 'must be a JSON array of rules');
  const names = new Set<string>();
  return parsed.map((entry, index) => {
    const rule = parseRule(entry, index, knownProviders);
    if (names.has(rule.name)) throw new ConfigError(VARIABLE, `names rule "${rule.name}" twice`);
    names.add(rule.name);
    return rule;
  });
}

function parseRule(entry: unknown, index: number, known: readonly string[]): RoutingRule {
  const where = `rule ${index + 1}`;
  const fail = (problem: string): never => {
    throw new ConfigError(VARIABLE, `${where}: ${problem}`);
  };
  if (!isObject(entry)) return fail('must be an object');
  const unknownKey = Object.keys(entry).find((key) => !RULE_KEYS.includes(key));
  if (unknownKey) fail(`has unknown key "${unknownKey}" (known: ${RULE_KEYS.join(', ')})`);
  const name = entry.name;
  if (typeof name !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(name)) fail('needs a "name" of 1-64 letters, digits, "_", "." or "-"');
  if (RESERVED_NAMES.includes(name as string)) fail(`may not be named "${String(name)}" (reserved)`);
  const named = `${where} ("${String(name)}")`;
  const failNamed = (problem: string): never => {
    throw new ConfigError(VARIABLE, `${named}: ${problem}`);
  };
  const checkProvider = (provider: unknown): string => {
    if (typeof provider !== 'string' || !known.includes(provider)) failNamed(`names unknown provider ${JSON.stringify(provider)} (known: ${known.join(', ')})`);
    return provider as string;
  };
  const hasProviders = entry.providers !== undefined;
  const hasSplit = entry.split !== undefined;
  if (hasProviders === hasSplit) failNamed('needs exactly one of "providers" (a list) or "split" (provider → percent)');
  let providers: string[];
  let split: RoutingRule['split'] = null;
  if (hasProviders) {
    if (!Array.isArray(entry.providers) || entry.providers.length === 0) failNamed('"providers" must be a non-empty list');
    providers = (entry.providers as unknown[]).map(checkProvider);
  } else {
    if (!isObject(entry.split) || Object.keys(entry.split).length === 0) failNamed('"split" must be an object of provider → percent');
    const parts = Object.entries(entry.split as Record<string, unknown>).map(([provider, percent]) => {
      checkProvider(provider);
      if (typeof percent !== 'number' || !Number.isInteger(percent) || percent < 0 || percent > 100) failNamed(`"split" percent for ${provider} must be an integer 0-100`);
      return { provider, percent: percent as number };
    });
    const total = parts.reduce((sum, part) => sum + part.percent, 0);
    if (total !== 100) failNamed(`"split" percents must add up to 100, got ${total}`);
    split = parts;
    providers = parts.map((part) => part.provider);
  }
  if (new Set(providers).size !== providers.length) failNamed('names a provider twice');
  return { name: name as string, match: parseMatch(entry.match, failNamed), providers, split };
}

function parseMatch(value: unknown, fail: (problem: string) => never): RuleMatch {
  if (value === undefined) return { currencies: null, amountMin: null, amountMax: null, paymentMethods: null, locales: null, modes: null };
  if (!isObject(value)) return fail('"match" must be an object');
  const unknownKey = Object.keys(value).find((key) => !MATCH_KEYS.includes(key));
  if (unknownKey) fail(`"match" has unknown key "${unknownKey}" (known: ${MATCH_KEYS.join(', ')})`);
  const words = (key: string, pattern: RegExp, normalize: (word: string) => string = (word) => word): string[] | null => {
    const raw = value[key];
    if (raw === undefined) return null;
    const list = Array.isArray(raw) ? raw : [raw];
    if (list.length === 0 || list.some((word) => typeof word !== 'string' || !pattern.test(word))) fail(`"match.${key}" must be a string or a non-empty list of strings`);
    return (list as string[]).map(normalize);
  };
  const amount = (key: string): number | null => {
    const raw = value[key];
    if (raw === undefined) return null;
    if (typeof raw !== 'number' || !Number.isSafeInteger(raw) || raw < 0) fail(`"match.${key}" must be a non-negative integer (minor units)`);
    return raw as number;
  };
  const currencies = words('currency', /^[A-Za-z]{3}$/, (word) => word.toUpperCase());
  const modes = words('mode', /^[a-z_]+$/);
  const badMode = modes?.find((mode) => !MODES.includes(mode));
  if (badMode) fail(`"match.mode" must be one of ${MODES.join(', ')}, got "${badMode}"`);
  const amountMin = amount('amount_min');
  const amountMax = amount('amount_max');
  if (amountMin !== null && amountMax !== null && amountMin > amountMax) fail('"match.amount_min" is above "match.amount_max"');
  return {
    currencies,
    amountMin,
    amountMax,
    paymentMethods: words('payment_method', /^[A-Za-z0-9_-]{1,64}$/),
    locales: words('locale', /^[A-Za-z0-9_-]{1,16}$/),
    modes,
  };
}

/** Every condition given must hold; an amount condition never holds for a session without an amount. */
export function ruleMatches(match: RuleMatch, subject: RuleSubject): boolean {
  if (match.currencies && (subject.currency === null || !match.currencies.includes(subject.currency))) return false;
  if (match.amountMin !== null && (subject.amount === null || subject.amount < match.amountMin)) return false;
  if (match.amountMax !== null && (subject.amount === null || subject.amount > match.amountMax)) return false;
  if (match.locales && (subject.locale === null || !match.locales.includes(subject.locale))) return false;
  if (match.modes && !match.modes.includes(subject.mode)) return false;
  if (match.paymentMethods) {
    const asked = [...(subject.paymentMethods ?? []), ...(subject.defaultPaymentMethod ? [subject.defaultPaymentMethod] : [])];
    if (!asked.some((method) => match.paymentMethods!.includes(method))) return false;
  }
  return true;
}

/**
 * The rule's providers in the order to try them. A split puts first the provider whose share
 * holds the session's bucket (0-99, from a hash of its key: stable for the same session).
 */
export function ruleOrder(rule: RoutingRule, key: string): string[] {
  if (!rule.split) return [...rule.providers];
  const bucket = splitBucket(key);
  let upper = 0;
  const chosen = rule.split.find((part) => bucket < (upper += part.percent)) ?? rule.split[rule.split.length - 1];
  return [chosen.provider, ...rule.providers.filter((provider) => provider !== chosen.provider)];
}

export function splitBucket(key: string): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) % 100;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
