import { totpCodeAt } from '../okta/domain/mfa.ts';
import type { SimulatorCore } from '../simulator.ts';

/** What `serve` prints: where to point clients, who can sign in and how, and how to steer the simulator. */
export function banner(sim: SimulatorCore, url: string, file: string): string {
  const { scenario } = sim;
  const lines = [`okta-apigee-sim serving "${scenario.name}" (${file})`, `  at ${url}`, ''];
  const okta = scenario.okta;
  if (okta) {
    const org = sim.state.okta;
    lines.push(`Okta org URL: ${url}   (okta-auth-js issuer: ${url}/oauth2/default)`);
    if (okta.apiTokens.length > 0) {
      lines.push('  API tokens (Authorization: SSWS <token>):');
      for (const token of okta.apiTokens)
        lines.push(`    ${token.name.padEnd(14)} ${token.token}  ${token.status}`);
    }
    lines.push('  Users:');
    for (const user of okta.users) {
      const status = user.status === 'ACTIVE' ? '' : `  [${user.status}]`;
      lines.push(`    ${user.login.padEnd(30)} ${user.password ?? '(no password)'}${status}`);
      for (const factor of user.factors) {
        switch (factor.type) {
          case 'token:software:totp':
            lines.push(
              `      TOTP (${factor.provider}) secret ${factor.secret}; code now ${totpCodeAt(factor.secret, sim.clock.now())}`,
            );
            break;
          case 'sms':
          case 'call':
            lines.push(
              `      ${factor.type.toUpperCase()} ${factor.phoneNumber}; code ${factor.passCode ?? 'generated (GET /__sim/state, outbox)'}`,
            );
            break;
          case 'email':
            lines.push(`      Email; code ${factor.passCode ?? 'generated (GET /__sim/state, outbox)'}`);
            break;
          case 'push':
            lines.push(`      Push: ${factor.outcome} on poll ${factor.afterPolls}`);
            break;
          case 'question':
            lines.push(`      Question "${factor.questionText ?? factor.question}": ${factor.answer}`);
            break;
        }
      }
      if (user.enrollment) {
        const offers = Object.entries(user.enrollment).map(([type, need]) => `${type} ${need}`);
        lines.push(`      Must enroll: ${offers.join(', ')}`);
      }
    }
    if (org) lines.push(`  ${org.users.length} users, org id ${org.orgId}`);
    if (org && org.apps.length > 0) {
      lines.push('  OIDC apps (docs/oidc.md):');
      org.apps.forEach((app, i) => {
        const secret = okta.apps[i]?.clientSecret;
        lines.push(
          `    ${app.clientId}${secret ? ` / ${secret}` : ''}  ${app.type}: ${app.grantTypes.join(', ')}`,
        );
      });
    }
    lines.push('');
  }
  const apigee = sim.state.apigee;
  if (apigee && scenario.apigee) {
    const proxy = scenario.apigee.proxy;
    lines.push(
      `Apigee runtime and management URL: ${url}   (organization ${apigee.organization})`,
      `  Reference proxy: POST ${proxy.token}, GET ${proxy.authorize}, POST ${proxy.invalidate} | ${proxy.validate} | ${proxy.revoke} | ${proxy.revokeAll}, GET ${proxy.tokeninfo}, GET ${proxy.jwks}`,
      `  Protected by VerifyAccessToken: ${proxy.protected.map((rule) => (typeof rule === 'string' ? rule : `${rule.path}${rule.scope ? ` (scope ${rule.scope})` : ''}`)).join(', ')}`,
      '  Apps (client_id / client_secret):',
    );
    for (const app of apigee.apps) {
      for (const key of app.keys) {
        const products = key.products.map((p) => p.name).join(', ');
        const status =
          app.status === 'approved' && key.status === 'approved'
            ? ''
            : `  [app ${app.status}, key ${key.status}]`;
        lines.push(
          `    ${app.name.padEnd(14)} ${key.consumerKey} / ${key.consumerSecret}  products: ${products}  tokens: ${app.tokenFormat}${status}`,
        );
      }
    }
    const first = apigee.apps[0]?.keys[0];
    if (first) {
      lines.push(
        '  Try:',
        `    curl -s ${url}${proxy.token} -u ${first.consumerKey}:${first.consumerSecret} -d grant_type=client_credentials`,
      );
    }
    lines.push('');
  }
  lines.push(
    'Control plane:',
    `  curl ${url}/__sim/state`,
    `  curl -X POST ${url}/__sim/clock -H 'Content-Type: application/json' -d '{"advance":"16m"}'`,
    `  curl -X POST ${url}/__sim/reset`,
    `  curl ${url}/__sim/requests`,
    '',
  );
  const first = okta?.users.find((user) => user.password && user.status === 'ACTIVE');
  if (first) {
    lines.push(
      'Try:',
      `  curl -s ${url}/api/v1/authn -H 'Content-Type: application/json' \\`,
      `    -d '{"username":"${first.login}","password":"${first.password}"}'`,
      '',
    );
  }
  lines.push('Press Ctrl-C to stop.');
  return lines.join('\n');
}
