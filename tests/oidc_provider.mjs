// A real OpenID Connect provider for the tests (node "oidc-provider"), run by tests/oidc_provider.py.
//
//   node tests/oidc_provider.mjs PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI [REDIRECT_URI...]
//
// Sign-in is not interactive: the test says who signs in next (POST /__test__/account, JSON
// claims with at least "sub") and the provider signs that person in and consents for them.
// POST /__test__/mode {"mode": ...} makes the token endpoint hand out a bad ID token once:
//   "foreign-key"   signed with a key that is not in the provider's JWKS (same kid)
//   "wrong-audience" issued to another client
//   "expired"       expired an hour ago
import { exportJWK, generateKeyPair, decodeJwt, SignJWT } from "jose";
import Provider from "oidc-provider";

const [port, clientId, clientSecret, ...redirectUris] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;
const kid = "qms-test-key";

const own = await generateKeyPair("RS256", { extractable: true });
const foreign = await generateKeyPair("RS256", { extractable: true });
const privateJwk = { ...(await exportJWK(own.privateKey)), kid, alg: "RS256", use: "sig" };

const accounts = new Map();
let next = null;
let mode = "normal";

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: redirectUris,
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_post",
    },
  ],
  jwks: { keys: [privateJwk] },
  claims: {
    openid: ["sub", "oid", "employeeid"],
    profile: ["name", "given_name", "family_name", "preferred_username"],
    email: ["email", "email_verified"],
  },
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: false } },
  pkce: { required: () => false },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  findAccount: async (ctx, id) => {
    const claims = accounts.get(id);
    if (!claims) return undefined;
    return { accountId: id, claims: async () => ({ ...claims }) };
  },
  ttl: { Interaction: 600, Session: 600, Grant: 600, AuthorizationCode: 60, IdToken: 600, AccessToken: 600 },
});
provider.proxy = false;

async function body(ctx) {
  const chunks = [];
  for await (const chunk of ctx.req) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString() || "{}");
}

async function tamper(idToken) {
  const claims = decodeJwt(idToken);
  const now = Math.floor(Date.now() / 1000);
  let key = own.privateKey;
  if (mode === "foreign-key") key = foreign.privateKey;
  if (mode === "wrong-audience") claims.aud = "another-service";
  if (mode === "expired") Object.assign(claims, { iat: now - 7200, exp: now - 3600 });
  return new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid, typ: "JWT" }).sign(key);
}

provider.use(async (ctx, nextMiddleware) => {
  if (ctx.path === "/__test__/account" && ctx.method === "POST") {
    next = await body(ctx);
    accounts.set(next.sub, next);
    ctx.status = 204;
    return;
  }
  if (ctx.path === "/__test__/mode" && ctx.method === "POST") {
    mode = (await body(ctx)).mode;
    ctx.status = 204;
    return;
  }
  if (ctx.path.startsWith("/interaction/")) {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (!next) {
      ctx.status = 400;
      ctx.body = "no test account set";
      return;
    }
    const grant = new provider.Grant({ accountId: next.sub, clientId: details.params.client_id });
    grant.addOIDCScope(details.params.scope);
    const grantId = await grant.save();
    await provider.interactionFinished(
      ctx.req,
      ctx.res,
      { login: { accountId: next.sub }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
    ctx.respond = false;
    return;
  }
  await nextMiddleware();
  if (ctx.path === "/token" && ctx.status === 200 && mode !== "normal" && ctx.body?.id_token) {
    ctx.body = { ...ctx.body, id_token: await tamper(ctx.body.id_token) };
    mode = "normal";
  }
});

provider.listen(Number(port), "127.0.0.1", () => {
  process.stdout.write(`listening ${issuer}\n`);
});
