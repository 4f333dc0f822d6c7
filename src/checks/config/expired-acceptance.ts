// An accepted risk with a past expiry date no longer applies: the risk is back, and the acceptance needs a decision.
import { defineCheck } from '../define.js';
import { acceptanceExpired } from '../../facts/index.js';

export default defineCheck({
  id: 'expired-acceptance',
  area: 'config',
  severity: 'low',
  impact: 'hygiene',
  title: 'Accepted risks are still within their expiry date',
  description:
    'A risk someone accepted for a limited time is counted again: the verdict may flip to NO-GO without any change to the product.',
  remediation: 'Fix the underlying finding, or renew the acceptance in `accept[]` with a new `expires` date and a current reason.',
  references: ['https://owasp.org/www-project-risk-assessment-framework/'],
  requires: [],
  messages: {
    expired: { message: 'The acceptance of {id} ("{reason}") expired on {expires}.' },
  },
  run({ target }, ctx) {
    const today = target.now.slice(0, 10);
    const withExpiry = target.accept.filter((a) => a.expires);
    if (withExpiry.length === 0) {
      ctx.notApplicable('no accepted risk has an expiry date');
      return;
    }
    for (const a of withExpiry) {
      // The same rule the run applies when it marks findings accepted: valid through the expiry day.
      if (acceptanceExpired(a, today)) {
        ctx.report({
          code: 'expired',
          args: { id: a.id, reason: a.reason, expires: a.expires! },
          location: { ...(target.configFile ? { file: target.configFile } : {}), record: `accept ${a.id}` },
        });
      }
    }
    ctx.details({ acceptances: target.accept.length, withExpiry: withExpiry.length });
  },
});
