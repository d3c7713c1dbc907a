// aws-jwt-verify (AWS's own JWT verifier for Cognito) checks tokens the mock issued.
// Usage: node jwt_verify.mjs <jwks url> <request json>
//   request: {"userPoolId", "checks": [{"name", "token", "tokenUse", "clientId", "scope"?}]}
// The JWKS is fetched from the mock's loopback endpoint and handed to the verifier's cache: the
// verifier's own download would go to cognito-idp.<region>.amazonaws.com, which a child process
// cannot reach. Issuer, token use, client and expiry are checked by the verifier itself.
// Prints {"<name>": {"ok": true, "sub": ...} | {"ok": false, "error": "<class>: <message>"}}.
import { CognitoJwtVerifier } from "aws-jwt-verify";

const [jwksUrl, requestJson] = process.argv.slice(2);
const request = JSON.parse(requestJson);
const jwks = await (await fetch(jwksUrl)).json();

const results = {};
for (const check of request.checks) {
  const verifier = CognitoJwtVerifier.create({
    userPoolId: request.userPoolId,
    tokenUse: check.tokenUse,
    clientId: check.clientId,
    ...(check.scope ? { scope: check.scope } : {}),
  });
  verifier.cacheJwks(jwks);
  try {
    const payload = await verifier.verify(check.token);
    results[check.name] = { ok: true, sub: payload.sub };
  } catch (error) {
    results[check.name] = { ok: false, error: `${error.constructor.name}: ${error.message}` };
  }
}
console.log(JSON.stringify(results));
