// The OpenID provider the single sign-on tests sign in through: the certified `oidc-provider`, on loopback.
//
// Its settings come as JSON in OIDC_TEST_CONFIG: {issuer, port, clients, jwks}. There is no login form: an
// interaction signs in the account named by the authorization request's login_hint (the test adds it on its way
// to the provider) and grants what was asked. Two routes exist for the tests alone:
//   PUT  /test/accounts/<sub>  the account's claims (email, email_verified, name, groups)
//   POST /test/tamper          how the next ID token from the token endpoint is spoiled ({aud}, {exp}, {nonce},
//                              {forge: true} signs it with a key of the same kid that is not the provider's)
import http from 'node:http';

import * as jose from 'jose';
import Provider from 'oidc-provider';

const config = JSON.parse(process.env.OIDC_TEST_CONFIG);
const accounts = new Map();
let tamper = null;

const provider = new Provider(config.issuer, {
  clients: config.clients,
  jwks: config.jwks,
  cookies: { keys: ['test-cookie-key-one-two-three'] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
  scopes: ['openid', 'email', 'profile', 'groups'],
  features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
  pkce: { required: () => true },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const account = accounts.get(sub);
    if (!account) return undefined;
    return { accountId: sub, async claims() { return { sub, ...account }; } };
  },
});

async function body(ctx) {
  const chunks = [];
  for await (const chunk of ctx.req) chunks.push(chunk);
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : {};
}

async function finishInteraction(ctx) {
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  const { prompt, params, session } = details;
  let result;
  if (prompt.name === 'login') {
    // The hint is a subject, or an email address as the relying party passes on what was typed there.
    const hint = params.login_hint;
    const accountId = accounts.has(hint) ? hint : [...accounts].find(([, claims]) => claims.email === hint)?.[0];
    result = accountId ? { login: { accountId } }
      : { error: 'access_denied', error_description: 'no such test account' };
  } else {
    const grant = details.grantId ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
    if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    result = { consent: { grantId: await grant.save() } };
  }
  ctx.redirect(await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: true }));
}

async function spoil(idToken) {
  const payload = jose.decodeJwt(idToken);
  const header = jose.decodeProtectedHeader(idToken);
  const { forge, ...claims } = tamper;
  tamper = null;
  let key;
  if (forge) {
    ({ privateKey: key } = await jose.generateKeyPair(header.alg));
  } else {
    key = await jose.importJWK(config.jwks.keys.find((k) => k.kid === header.kid), header.alg);
  }
  return new jose.SignJWT({ ...payload, ...claims }).setProtectedHeader(header).sign(key);
}

provider.use(async (ctx, next) => {
  if (ctx.path.startsWith('/interaction/')) {
    await finishInteraction(ctx);
    return;
  }
  if (ctx.method === 'PUT' && ctx.path.startsWith('/test/accounts/')) {
    accounts.set(decodeURIComponent(ctx.path.slice('/test/accounts/'.length)), await body(ctx));
    ctx.status = 204;
    return;
  }
  if (ctx.method === 'POST' && ctx.path === '/test/tamper') {
    tamper = await body(ctx);
    ctx.status = 204;
    return;
  }
  await next();
  if (ctx.path === '/token' && tamper && ctx.body && ctx.body.id_token) {
    ctx.body = { ...ctx.body, id_token: await spoil(ctx.body.id_token) };
  }
});

http.createServer(provider.callback()).listen(config.port, '127.0.0.1', () => {
  process.stdout.write(`listening ${config.port}\n`);
});
