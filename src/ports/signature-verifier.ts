// The SignatureVerifier port: whether a provider's webhook request is genuine.

export interface SignatureVerifier {
  /** True when `signature` signs `url` and the form `params` under the provider's secret. */
  verify(signature: string, url: string, params: Readonly<Record<string, string>>): Promise<boolean>;
}
