import { InvalidRequest } from '@paymux/payments';
import { DestinationPolicy, ForbiddenDestination } from '../notifications/destination-policy';

/**
 * A session's `callback_url` receives the same notifications as a webhook endpoint, so it gets
 * the endpoint's checks at creation (in production: https, public addresses only); URLs that
 * carry credentials are refused in every environment by the URL rule itself.
 */
export async function checkCallbackUrl(policy: DestinationPolicy, production: boolean, url: string | undefined): Promise<void> {
  if (url === undefined || !production) return;
  try {
    await policy.resolve(url);
  } catch (error) {
    if (error instanceof ForbiddenDestination) throw new InvalidRequest('callback_url', `callback_url ${error.message}`);
    throw error;
  }
}
