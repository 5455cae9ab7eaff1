import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import { compilePolicy } from './compile-policy.js';
import { compileDefaultPolicy } from './default-policy.js';
import { scanContent } from './evaluate.js';
import { PHONE_REGION_CODES } from './pii.js';

/** `pii.phone_regions`: which national phone formats a policy detects; `+` numbers always count. */

const defaults = compileDefaultPolicy();
const withRegions = (phoneRegions: string[] | undefined, version = 7) => {
  const { phone_regions: _default, ...pii } = defaults.document.pii ?? {};
  return compilePolicy({ ...defaults.document, pii: phoneRegions === undefined ? pii : { ...pii, phone_regions: phoneRegions } }, version);
};
const phones = (policy: ReturnType<typeof withRegions>, content: string) =>
  scanContent(policy, content)
    .findings.filter((finding) => finding.entity === 'phone')
    .map((finding) => content.slice(finding.start, finding.end));

const CONTENT = 'Call +44 20 7946 0958, 020 7946 0958, 01 23 45 67 89 or (415) 555-2671.';

describe('pii.phone_regions', () => {
  it('the default policy lists US, and a document without the setting gets the same', () => {
    expect(defaults.document.pii?.phone_regions).toEqual(['US']);
    expect(phones(defaults, CONTENT)).toEqual(['+44 20 7946 0958', '(415) 555-2671']);
    expect(phones(withRegions(undefined), CONTENT)).toEqual(['+44 20 7946 0958', '(415) 555-2671']);
  });

  it('lists the regions whose national formats count; + numbers count whatever the list', () => {
    expect(phones(withRegions(['GB', 'FR']), CONTENT)).toEqual(['+44 20 7946 0958', '020 7946 0958', '01 23 45 67 89']);
    expect(phones(withRegions(['GB', 'FR', 'CA']), CONTENT)).toEqual(['+44 20 7946 0958', '020 7946 0958', '01 23 45 67 89', '(415) 555-2671']);
    expect(phones(withRegions([]), CONTENT)).toEqual(['+44 20 7946 0958']);
  });

  it('an unsupported or malformed region is refused with its path, naming the supported ones', () => {
    const refusal = (regions: string[]) => {
      try {
        withRegions(regions);
      } catch (error) {
        expect((error as AppError).status).toBe(400);
        return (error as AppError).details;
      }
      throw new Error('accepted');
    };
    expect(refusal(['GB', 'XX'])).toEqual({
      errors: [{ path: '/policy/pii/phone_regions/1', message: `"XX" is not a supported phone region (${PHONE_REGION_CODES.join(', ')})` }],
    });
    expect(refusal(['gb'])).toEqual({ errors: [{ path: '/policy/pii/phone_regions/0', message: 'must match pattern "^[A-Z]{2}$"' }] });
    expect(() => withRegions(['GB'])).not.toThrow();
  });
});
