// A real SAML 2.0 identity provider for the tests (node "samlify"), run by tests/saml_idp.py.
//
//   node tests/saml_idp.mjs PORT KEYS.json
//
// KEYS.json: {"key", "cert", "rogueKey", "rogueCert", "spEntityId", "acsUrl"} (PEM strings).
// GET /sso takes qms's AuthnRequest (HTTP-Redirect binding) and answers with the signed Response
// for the person set by POST /__test__/account {"nameId": ...}, as JSON {SAMLResponse, RelayState}
// (what the browser's auto-submitted form would post to qms). POST /__test__/mode
// {"mode": "foreign-key"} signs the next Response with a key qms does not trust.
import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import http from "node:http";
import samlify from "samlify"; // CommonJS: its module.exports

const [port, keysFile] = process.argv.slice(2);
const keys = JSON.parse(readFileSync(keysFile, "utf8"));
const base = `http://127.0.0.1:${port}`;

// The SP (python3-saml) validates the XML itself; here the schema check is not the subject.
samlify.setSchemaValidator({ validate: () => Promise.resolve("skipped") });

function identityProvider(privateKey, signingCert) {
  return samlify.IdentityProvider({
    entityID: `${base}/metadata`,
    privateKey,
    signingCert,
    isAssertionEncrypted: false,
    nameIDFormat: ["urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"],
    singleSignOnService: [
      { Binding: "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect", Location: `${base}/sso` },
    ],
  });
}

const trusted = identityProvider(keys.key, keys.cert);
const rogue = identityProvider(keys.rogueKey, keys.rogueCert);
const sp = samlify.ServiceProvider({
  entityID: keys.spEntityId,
  wantAssertionsSigned: true,
  authnRequestsSigned: false,
  assertionConsumerService: [
    { Binding: "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST", Location: keys.acsUrl },
  ],
});

// samlify's default Response has no AuthnStatement, which SAML's Web SSO profile requires (and
// python3-saml checks): fill the template ourselves, as a deployed IdP's template would.
function loginResponse(request) {
  return (template) => {
    const now = new Date();
    const later = new Date(now.getTime() + 5 * 60 * 1000).toISOString();
    const id = `_${randomUUID()}`;
    const authn =
      `<saml:AuthnStatement AuthnInstant="${now.toISOString()}" SessionIndex="_${randomUUID()}">` +
      "<saml:AuthnContext><saml:AuthnContextClassRef>" +
      "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport" +
      "</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>";
    const values = {
      ID: id,
      AssertionID: `_${randomUUID()}`,
      Destination: keys.acsUrl,
      Audience: keys.spEntityId,
      SubjectRecipient: keys.acsUrl,
      Issuer: `${base}/metadata`,
      IssueInstant: now.toISOString(),
      StatusCode: "urn:oasis:names:tc:SAML:2.0:status:Success",
      ConditionsNotBefore: now.toISOString(),
      ConditionsNotOnOrAfter: later,
      SubjectConfirmationDataNotOnOrAfter: later,
      NameIDFormat: "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
      NameID: account.nameId,
      InResponseTo: request.extract.request.id,
    };
    // The two statements are XML, which replaceTagsByValue would escape.
    const xml = template.replace("{AuthnStatement}", authn).replace("{AttributeStatement}", "");
    return { id, context: samlify.SamlLib.replaceTagsByValue(xml, values) };
  };
}

let account = null;
let mode = "normal";

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString() || "{}");
}

function send(res, status, body) {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(body));
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, base);
  try {
    if (url.pathname === "/__test__/account" && req.method === "POST") {
      account = await readJson(req);
      return send(res, 200, {});
    }
    if (url.pathname === "/__test__/mode" && req.method === "POST") {
      mode = (await readJson(req)).mode;
      return send(res, 200, {});
    }
    if (url.pathname === "/sso") {
      const query = Object.fromEntries(url.searchParams);
      const idp = mode === "foreign-key" ? rogue : trusted;
      mode = "normal";
      const request = await trusted.parseLoginRequest(sp, "redirect", {
        query,
        octetString: url.search.slice(1),
      });
      const response = await idp.createLoginResponse(
        sp,
        request,
        "post",
        { email: account.nameId },
        { relayState: query.RelayState, customTagReplacement: loginResponse(request) },
      );
      return send(res, 200, { SAMLResponse: response.context, RelayState: query.RelayState });
    }
    return send(res, 404, { error: "not found" });
  } catch (error) {
    return send(res, 500, { error: String(error && error.stack ? error.stack : error) });
  }
});

server.listen(Number(port), "127.0.0.1", () => process.stdout.write(`listening ${base}\n`));
