import { createPrivateKey, createPublicKey } from 'node:crypto';
import { generateRsaKeyPair, HEADERS, SMART_GLOCAL_SERVERS, SmartGlocalClient, SmartGlocalSimulator } from '@paymux/smart-glocal';
import { ConfigError, requireAllOrNone } from '../../config/env-reader';
import type { ProviderDefinition, SimulatedProvider } from '../provider-definition';
import { PayPageController } from './pay-page.controller';
import { SmartGlocalPaymentProvider } from './smart-glocal.provider';

export interface SmartGlocalSettings {
  baseUrl: string | null;
  project: string | null;
  privateKeyPem: string | null;
  publicKeyPem: string | null;
  allowCardData: boolean;
  /** The account confirms by itself (set by Smart Glocal's manager): paymux never calls session/confirm. */
  autoConfirmation: boolean;
  /** The account holds payments for capture (set by Smart Glocal's manager): `capture: "manual"` is offered. */
  delayedCapture: boolean;
}

export interface SmartGlocalSimulatorSetup extends SimulatedProvider {
  simulator: SmartGlocalSimulator;
  /** The merchant key pair generated for this start: the simulator knows the public half. */
  merchantPrivateKeyPem: string;
}

/**
 * Smart Glocal for the facade: the real API when SMART_GLOCAL_PROJECT and both keys are set; else
 * (outside production) its simulator in this process, with a merchant key pair generated at start
 * and both public keys wired automatically.
 */
export const SMART_GLOCAL_DEFINITION: ProviderDefinition<SmartGlocalSettings, SmartGlocalSimulatorSetup> = {
  name: 'smart_glocal',
  label: 'Smart Glocal',
  slug: 'smart-glocal',
  settings: [
    { env: 'SMART_GLOCAL_BASE_URL', description: `Smart Glocal API base URL (default ${SMART_GLOCAL_SERVERS.live})` },
    { env: 'SMART_GLOCAL_PROJECT', description: 'Smart Glocal credentials: all three or none. PEM keys fit on one line with \\n' },
    { env: 'SMART_GLOCAL_PRIVATE_KEY', secret: true },
    { env: 'SMART_GLOCAL_PUBLIC_KEY' },
    { env: 'SMART_GLOCAL_ALLOW_CARD_DATA', description: 'true only with PCI DSS scope: card data sent server to server', example: 'false' },
    { env: 'SMART_GLOCAL_AUTO_CONFIRMATION', description: "true when Smart Glocal's manager switched on automatic confirmation: paymux never calls session/confirm", example: 'false' },
    { env: 'SMART_GLOCAL_DELAYED_CAPTURE', description: "true when Smart Glocal's manager switched on delayed capture: sessions may use capture: manual (automatic ones are captured at once)", example: 'false' },
  ],
  readSettings(read) {
    const settings: SmartGlocalSettings = {
      baseUrl: read.optionalUrl('SMART_GLOCAL_BASE_URL'),
      project: read.optional('SMART_GLOCAL_PROJECT'),
      privateKeyPem: read.optionalPem('SMART_GLOCAL_PRIVATE_KEY'),
      publicKeyPem: read.optionalPem('SMART_GLOCAL_PUBLIC_KEY'),
      allowCardData: read.boolean('SMART_GLOCAL_ALLOW_CARD_DATA', false),
      autoConfirmation: read.boolean('SMART_GLOCAL_AUTO_CONFIRMATION', false),
      delayedCapture: read.boolean('SMART_GLOCAL_DELAYED_CAPTURE', false),
    };
    checkKey('SMART_GLOCAL_PRIVATE_KEY', settings.privateKeyPem, 'private');
    checkKey('SMART_GLOCAL_PUBLIC_KEY', settings.publicKeyPem, 'public');
    requireAllOrNone('SMART_GLOCAL', { SMART_GLOCAL_PROJECT: settings.project, SMART_GLOCAL_PRIVATE_KEY: settings.privateKeyPem, SMART_GLOCAL_PUBLIC_KEY: settings.publicKeyPem });
    return settings;
  },
  hasCredentials: (settings) => settings.project !== null,
  webhookHeaders: [HEADERS.sign.toLowerCase(), HEADERS.project.toLowerCase()],
  secretHeaders: [HEADERS.sign.toLowerCase()],
  controllers: [PayPageController],
  simulate({ clock }, settings, place) {
    const merchant = generateRsaKeyPair();
    const simulator = new SmartGlocalSimulator({
      basePath: place.prefix,
      project: 'paymux-dev',
      merchantPublicKeyPem: merchant.publicKeyPem,
      notificationUrl: place.webhookUrl,
      // The simulated account is set up like the real one paymux talks to.
      autoConfirmation: settings.autoConfirmation,
      delayedCapture: settings.delayedCapture,
      clock,
    });
    return { simulator, merchantPrivateKeyPem: merchant.privateKeyPem };
  },
  connect({ config, clock, http }, settings, simulated) {
    const connection = simulated
      ? { baseUrl: simulated.place.baseUrl, project: 'paymux-dev', privateKeyPem: simulated.setup.merchantPrivateKeyPem, publicKeyPem: simulated.setup.simulator.publicKeyPem }
      : { baseUrl: settings.baseUrl ?? SMART_GLOCAL_SERVERS.live, project: settings.project!, privateKeyPem: settings.privateKeyPem!, publicKeyPem: settings.publicKeyPem! };
    const client = new SmartGlocalClient({ baseUrl: connection.baseUrl, project: connection.project, privateKeyPem: connection.privateKeyPem, timeoutMs: config.providerTimeoutMs, http });
    return new SmartGlocalPaymentProvider({
      client,
      smartGlocalPublicKeyPem: connection.publicKeyPem,
      payPageUrl: (id) => `${config.publicUrl}/pay/${id}`,
      allowCardData: settings.allowCardData,
      autoConfirmation: settings.autoConfirmation,
      delayedCapture: settings.delayedCapture,
      clock,
    });
  },
};

/** A key that does not load stops the process at boot, naming the variable (never showing the key). */
function checkKey(variable: string, pem: string | null, kind: 'private' | 'public'): void {
  if (pem === null) return;
  try {
    const key = kind === 'private' ? createPrivateKey(pem) : createPublicKey(pem);
    if (key.asymmetricKeyType !== 'rsa') throw new Error('not RSA');
  } catch {
    throw new ConfigError(variable, `is not a valid RSA ${kind} key in PEM format`);
  }
}

export default SMART_GLOCAL_DEFINITION;
