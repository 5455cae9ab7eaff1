import helmet, { type HelmetOptions } from 'helmet';

export const HELMET_OPTIONS: Readonly<HelmetOptions> = {
  // JSON APIs load nothing: deny everything. /docs sets its own, looser policy (swagger-ui staticCSP).
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] },
  },
  strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
  referrerPolicy: { policy: 'no-referrer' },
  crossOriginOpenerPolicy: { policy: 'same-origin' },
  crossOriginResourcePolicy: { policy: 'same-origin' },
  xFrameOptions: { action: 'deny' },
  xPoweredBy: false,
};

/**
 * The security headers helmet would set, computed once. helmet's middleware re-derives the same constant header
 * set on every request (about a dozen functions, CSP re-serialised each time); running it once against a recording
 * response keeps helmet as the source of the values while each request only copies an object
 * (docs/benchmarks.md, `http-cost`, measures what the edge costs).
 */
export function computeSecurityHeaders(options: Readonly<HelmetOptions> = HELMET_OPTIONS): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
    getHeader(name: string) {
      return headers[name.toLowerCase()];
    },
  };
  let failure: unknown;
  helmet(options)({} as never, recorder as never, (error?: unknown) => {
    failure = error;
  });
  if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
  return Object.freeze(headers);
}

/** The hashes of the inline script and style the API reference UI needs (@fastify/swagger-ui's `swaggerCSP`). */
export interface DocsInlineHashes {
  script: readonly string[];
  style: readonly string[];
}

/**
 * The /docs UI's own policy, per request: swagger-ui's (its files from 'self', its hashed inline script and style)
 * with `upgrade-insecure-requests` only when the page itself came over HTTPS. Sent over plain HTTP, that directive
 * made the browser fetch the UI's scripts from https://<same host>, which nothing serves there: a blank page for
 * anyone reaching ORCA over HTTP by a name other than localhost (browsers exempt localhost).
 */
export function docsContentSecurityPolicy(hashes: DocsInlineHashes): (secure: boolean) => string {
  const sources = (list: readonly string[]) => (list.length > 0 ? ` ${list.join(' ')}` : '');
  const policy =
    "default-src 'self'; base-uri 'self'; font-src 'self' https: data:; frame-ancestors 'self'; img-src 'self' data: validator.swagger.io; " +
    `object-src 'none'; script-src 'self'${sources(hashes.script)}; script-src-attr 'none'; style-src 'self' https:${sources(hashes.style)}`;
  const overHttps = `${policy}; upgrade-insecure-requests`;
  return (secure) => (secure ? overHttps : policy);
}

/**
 * The web console's policy (docs/console.md "Content Security Policy"), on its page only: its script and stylesheet
 * from 'self' (content-hashed files ORCA serves; nothing inline, no CDN), its API calls to 'self', nothing else
 * loaded, framed or posted elsewhere. Trusted Types are required with no policy allowed, so no string can ever reach
 * an HTML sink such as innerHTML: stored text (an agent's name, an alert's annotations) can only be shown as text.
 * `upgrade-insecure-requests` only over HTTPS, for the reason given at docsContentSecurityPolicy.
 */
export function consoleContentSecurityPolicy(secure: boolean): string {
  const policy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; " +
    "form-action 'self'; frame-ancestors 'none'; require-trusted-types-for 'script'; trusted-types 'none'";
  return secure ? `${policy}; upgrade-insecure-requests` : policy;
}
