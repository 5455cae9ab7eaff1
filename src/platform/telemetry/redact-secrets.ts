/**
 * The credential patterns of log redaction (redact.ts walks the log object and runs them): URL passwords, bearer
 * and basic credentials, ORCA API keys, JSON Web Tokens, secret-like query parameters and `password=…` in free
 * text, and the field names whose values are secrets whatever they hold.
 *
 * Every regular expression here is linear in its input — a match can only start at the beginning of a run
 * (enforced by a lookbehind), and no quantified group can split the same text two ways (redact.test.ts feeds
 * them hostile megabytes).
 */

export const REDACTED = '[REDACTED]';

/** One pattern of the scrub: redact.ts runs `pattern` with `replace` over a string when `applies` holds. */
export interface Scrubber {
  /** Cheap necessary condition for `pattern` to match; the regex only runs when it holds. */
  applies(value: string): boolean;
  pattern: RegExp;
  replace: string | ((match: string, ...rest: never[]) => string);
}

/** A field name whose value is a secret (`authorization`, `x-api-key`, `*password*`, `*token*` …). */
export const SECRET_KEY =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api[-_]?keys?|.*(password|passwd|secret|token|signature|credential|private[-_]?key|webhook[-_]?key|session)s?.*)$/i;

/** A query-string parameter whose value is a secret (`?api_key=`, `&access_token=`, `?client_secret=`, `?sig=` …). */
// `code` is a Dataverse webhook key (`?code=`) or an OAuth authorisation code: a credential either way.
const SECRET_PARAM = /key|token|secret|signature|^sig$|^code$|passw|^pwd$|auth|credential|session|jwt/i;

export const SECRET_SCRUBBERS: Scrubber[] = [
  {
    // Credentials inside URLs: scheme://user:password@host (the user may be empty: redis://:password@host). The
    // lookbehind makes a scheme start at the beginning of a word: without it every position of a long word was
    // a candidate scheme scanned to the end of the word — quadratic (a 40 kB line took 3 s).
    applies: (value) => value.includes('://'),
    pattern: /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s/]+@/gi,
    replace: `$1${REDACTED}@`,
  },
  {
    // Bearer / Basic credentials (Authorization header values quoted in messages).
    applies: (value) => /bearer|basic/i.test(value),
    pattern: /\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
    replace: `$1 ${REDACTED}`,
  },
  {
    // ORCA API keys: orca_<prefix>_<secret>.
    applies: (value) => value.includes('orca_'),
    pattern: /\borca_[A-Za-z0-9]+_[A-Za-z0-9_-]{16,}/g,
    replace: REDACTED,
  },
  {
    // JSON Web Tokens: three base64url segments, the first (the JSON header) starting `eyJ` (`{"`). The signature
    // may be empty (alg "none").
    applies: (value) => value.includes('eyJ'),
    pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g,
    replace: REDACTED,
  },
  {
    // Secret-like query parameters: every parameter is matched and its name judged, which keeps the regex trivial.
    applies: (value) => value.includes('='),
    pattern: /([?&;])([^=&;\s#?]+)=([^&;\s#]*)/g,
    replace: (match: string, separator: string, name: string, secret: string) =>
      secret !== '' && secret !== REDACTED && SECRET_PARAM.test(name) ? `${separator}${name}=${REDACTED}` : match,
  },
  {
    // `password=…`, `token: …` in free text: libpq connection strings ("host=db password=…"), config dumps.
    applies: (value) => /passw|pwd|secret|token|api[-_]?key/i.test(value),
    pattern: /(?<![A-Za-z0-9-])((?:password|passwd|pwd|secret|client[-_]?secret|token|access[-_]?token|refresh[-_]?token|api[-_]?key)["']?[ \t]*[=:][ \t]*)("[^"]*"?|'[^']*'?|[^\s"'&,;]+)/gi,
    // A value another scrubber already replaced (`token=[REDACTED]#frag`) is left as it is.
    replace: (match: string, prefix: string, secret: string) =>
      secret.startsWith(REDACTED) || secret.startsWith(`"${REDACTED}`) ? match : `${prefix}${REDACTED}`,
  },
];
