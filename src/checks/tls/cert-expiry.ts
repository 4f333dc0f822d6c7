// Certificates (leaf and intermediates) in their validity window, with room to spare — measured from today and,
// when the config gives one, from the launch date.
import { defineCheck } from '../define.js';
import { certName, DAY_MS, handshaken, isoDay, location, noneJudged, vouched, wholeDays } from '../../derive/tls.js';

export default defineCheck({
  id: 'cert-expiry',
  area: 'tls',
  severity: 'critical',
  impact: 'availability',
  title: 'Certificates are valid now and do not expire soon',
  description:
    'Browsers and apps refuse the connection with a full-page "Your connection is not private" error: nobody can sign up, log in or pay until it is fixed.',
  remediation:
    'Renew the certificate and automate renewal (ACME/Let\'s Encrypt renews 30 days ahead); check the server\'s clock for "not yet valid", then reload the server so it serves the new certificate.',
  references: ['https://letsencrypt.org/docs/integration-guide/', 'https://www.ssllabs.com/ssltest/'],
  requires: ['tls.endpoints'],
  messages: {
    expired: { message: 'The {role} certificate "{cert}" served by {host} expired on {date} ({days} days ago).' },
    'not-yet-valid': { message: 'The {role} certificate "{cert}" served by {host} is not valid until {date} (in {days} days).' },
    'expires-in-14-days': {
      message: 'The {role} certificate "{cert}" served by {host} expires on {date}, in {days} days.',
      severity: 'high',
      whatBreaks: 'Unless renewal happens in the next days, every visitor gets a certificate error and the site is down for them.',
    },
    'expires-in-30-days': {
      message: 'The {role} certificate "{cert}" served by {host} expires on {date}, in {days} days.',
      severity: 'medium',
      whatBreaks: 'Renewal has to work this month, right around launch, or every visitor gets a certificate error.',
    },
    'expires-before-launch': {
      message: 'The {role} certificate "{cert}" served by {host} expires on {date}, {days} days before your launch on {launch}.',
      severity: 'high',
      whatBreaks: 'On launch day visitors get a certificate error unless a renewal happens first.',
    },
    'expires-14-days-after-launch': {
      message: 'The {role} certificate "{cert}" served by {host} expires on {date}, {days} days after your launch on {launch}.',
      severity: 'high',
      whatBreaks: 'The certificate runs out in your launch week or the one after, when traffic peaks: a failed renewal then takes the site down.',
    },
    'expires-30-days-after-launch': {
      message: 'The {role} certificate "{cert}" served by {host} expires on {date}, {days} days after your launch on {launch}.',
      severity: 'medium',
      whatBreaks: 'The certificate runs out in the first month after launch: a failed renewal then takes the site down.',
    },
  },
  run({ 'tls.endpoints': endpoints, target }, ctx) {
    const none = noneJudged(endpoints);
    if (none) return ctx.notApplicable(none);
    const now = Date.parse(target.now);
    const launch = target.launchDate ? Date.parse(`${target.launchDate}T00:00:00Z`) : undefined;
    const launchAhead = launch !== undefined && launch > now ? launch : undefined;
    const daysLeft: Record<string, number> = {};
    for (const e of handshaken(endpoints)) {
      for (const { cert, role } of vouched(e)) {
        const notAfter = Date.parse(cert.notAfter);
        const notBefore = Date.parse(cert.notBefore);
        const args = { host: e.host, role, cert: certName(cert), date: isoDay(cert.notAfter) };
        const loc = location(e);
        if (role === 'leaf') daysLeft[e.host] = wholeDays(notAfter - now);
        if (notAfter <= now) {
          ctx.report({ code: 'expired', args: { ...args, days: wholeDays(now - notAfter) }, location: loc });
        } else if (notBefore > now) {
          ctx.report({ code: 'not-yet-valid', args: { ...args, date: isoDay(cert.notBefore), days: Math.ceil((notBefore - now) / DAY_MS) }, location: loc });
        } else if (launchAhead !== undefined) {
          const launchArgs = { ...args, launch: target.launchDate! };
          if (notAfter <= launchAhead) {
            ctx.report({ code: 'expires-before-launch', args: { ...launchArgs, days: Math.ceil((launchAhead - notAfter) / DAY_MS) }, location: loc });
          } else {
            const after = wholeDays(notAfter - launchAhead);
            if (after < 14) ctx.report({ code: 'expires-14-days-after-launch', args: { ...launchArgs, days: after }, location: loc });
            else if (after < 30) ctx.report({ code: 'expires-30-days-after-launch', args: { ...launchArgs, days: after }, location: loc });
          }
        } else {
          const days = wholeDays(notAfter - now);
          if (days < 14) ctx.report({ code: 'expires-in-14-days', args: { ...args, days }, location: loc });
          else if (days < 30) ctx.report({ code: 'expires-in-30-days', args: { ...args, days }, location: loc });
        }
      }
    }
    ctx.details({ leafDaysLeft: daysLeft, ...(target.launchDate ? { launchDate: target.launchDate } : {}) });
  },
});
