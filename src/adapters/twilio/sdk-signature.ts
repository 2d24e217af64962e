// Twilio's X-Twilio-Signature, checked by the official SDK (Node).
import twilio from 'twilio';
import type { SignatureVerifier } from '../../ports/signature-verifier.ts';

export function createSdkTwilioVerifier(authToken: string): SignatureVerifier {
  return {
    verify: async (signature, url, params) => twilio.validateRequest(authToken, signature, url, { ...params }),
  };
}
