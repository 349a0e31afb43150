/**
 * Follows a provider's redirect back to paymux's return relay, as the buyer's browser would, and
 * answers where the relay sends the buyer on to (the merchant's return_url or cancel_url).
 */
export async function followReturn(appUrl: string, sessionId: string, providerLocation: string): Promise<string> {
  const relay = new URL(providerLocation);
  if (`${relay.origin}${relay.pathname}` !== `${appUrl}/v1/return/${sessionId}`) {
    throw new Error(`the provider sent the buyer to ${providerLocation}, not to paymux's return relay for ${sessionId}`);
  }
  const res = await fetch(providerLocation, { redirect: 'manual' });
  if (res.status !== 303) throw new Error(`the return relay answered ${res.status}: ${await res.text()}`);
  return res.headers.get('location')!;
}
