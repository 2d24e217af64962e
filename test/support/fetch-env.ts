// What a child process needs to fetch from the npm registry (scripts/fetch-runtime.sh) on this
// machine: its cache, and the proxy and certificate settings, without the rest of the environment.
const PASSED =
  /^(HOME|SMS_VERIFY_CACHE|NODE_EXTRA_CA_CERTS|SSL_CERT_FILE|SSL_CERT_DIR|(HTTPS?|NO|ALL)_PROXY|(https?|no|all)_proxy|npm_config_(registry|cafile|proxy|https_proxy|strict_ssl))$/;

export function fetchEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter((e): e is [string, string] => PASSED.test(e[0]) && e[1] !== undefined),
  );
}
