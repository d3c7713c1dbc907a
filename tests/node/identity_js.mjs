// amazon-cognito-identity-js, unmodified, against the mock's loopback endpoint: the library
// computes SRP itself and talks to the endpoint given to CognitoUserPool.
//
//   node identity_js.mjs sign-in <poolId> <clientId> <username> <password> [<newPassword>]
//   node identity_js.mjs sign-up <poolId> <clientId> <username> <password> <email>
//   node identity_js.mjs confirm <poolId> <clientId> <username> <code>
//   node identity_js.mjs refresh <poolId> <clientId> <username> <password>
//
// The endpoint is AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER (as the mock's subprocess_env()
// sets it). Prints one JSON line of results; on failure, exits 1 with the error on stderr.
//
// Globals: the library calls `fetch` (isomorphic-unfetch keeps a global one, else installs
// node-fetch) and draws its SRP secret from `crypto.getRandomValues`, falling back to
// require("crypto"). Node 20 has both globals, so nothing is shimmed; fail clearly otherwise.
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserAttribute,
  CognitoUserPool,
} from "amazon-cognito-identity-js";

if (typeof globalThis.fetch !== "function" || !globalThis.crypto?.getRandomValues) {
  console.error("identity_js.mjs needs global fetch and crypto.getRandomValues (node >= 20)");
  process.exit(2);
}

const endpoint = process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER;
const [command, poolId, clientId, username, ...rest] = process.argv.slice(2);
if (!endpoint || !command || !poolId || !clientId || !username) {
  console.error("usage: see the head of identity_js.mjs (and set the endpoint variable)");
  process.exit(2);
}

const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint });
const userOf = (name) => new CognitoUser({ Username: name, Pool: pool });
const errorOf = (e) => ({ name: e.name, code: e.code, message: e.message });
const tokensOf = (session) => ({
  idToken: session.getIdToken().getJwtToken(),
  accessToken: session.getAccessToken().getJwtToken(),
  refreshToken: session.getRefreshToken().getToken(),
});

// The library's callback APIs as promises. `settle` resolves with [callbackName, ...args] for
// the callback-object style; `nodeStyle` resolves with the (error, data) of a plain callback.
function settle(start) {
  return new Promise((resolve) => start((name) => (...args) => resolve([name, ...args])));
}
function nodeStyle(start) {
  return new Promise((resolve) => start((...args) => resolve(args)));
}

async function authenticate(user, password, newPassword) {
  const details = new AuthenticationDetails({ Username: user.getUsername(), Password: password });
  const outcome = await settle((on) =>
    user.authenticateUser(details, {
      onSuccess: on("onSuccess"),
      onFailure: on("onFailure"),
      newPasswordRequired: on("newPasswordRequired"),
    }),
  );
  if (outcome[0] !== "newPasswordRequired" || !newPassword) return outcome;
  const answered = await settle((on) =>
    user.completeNewPasswordChallenge(newPassword, {}, {
      onSuccess: on("onSuccess"),
      onFailure: on("onFailure"),
    }),
  );
  return [answered[0], answered[1], "NEW_PASSWORD_REQUIRED"];
}

async function signIn(password, newPassword) {
  const result = {};

  const [wrong, wrongError] = await authenticate(userOf(username), `${password}-wrong`);
  result.wrongPassword = wrong === "onFailure" ? errorOf(wrongError) : { unexpected: wrong };

  const user = userOf(username);
  const [outcome, value, challenge] = await authenticate(user, password, newPassword);
  if (outcome !== "onSuccess") throw value instanceof Error ? value : new Error(outcome);
  result.challenge = challenge ?? null;
  result.signIn = tokensOf(value);

  // getSession answers from the library's storage; refreshSession calls REFRESH_TOKEN_AUTH.
  const [sessionError, session] = await nodeStyle((done) => user.getSession(done));
  if (sessionError) throw sessionError;
  result.session = { valid: session.isValid(), ...tokensOf(session) };
  const [refreshError, refreshed] = await nodeStyle((done) =>
    user.refreshSession(session.getRefreshToken(), done),
  );
  if (refreshError) throw refreshError;
  result.refreshed = tokensOf(refreshed);

  // The JWKS a resource server would fetch, from the same endpoint.
  const jwks = await fetch(`${endpoint}/${poolId}/.well-known/jwks.json`);
  result.jwks = { status: jwks.status, body: await jwks.json() };
  return result;
}

async function signUp(password, email) {
  const attributes = [new CognitoUserAttribute({ Name: "email", Value: email })];
  const [error, data] = await nodeStyle((done) =>
    pool.signUp(username, password, attributes, null, done),
  );
  if (error) throw error;
  return {
    userSub: data.userSub,
    userConfirmed: data.userConfirmed,
    codeDeliveryDetails: data.codeDeliveryDetails,
  };
}

async function confirm(code) {
  const user = userOf(username);
  const confirmWith = (value) => nodeStyle((done) => user.confirmRegistration(value, true, done));
  const [wrongError] = await confirmWith(code === "000000" ? "111111" : "000000");
  const [error, data] = await confirmWith(code);
  if (error) throw error;
  return { wrongCode: wrongError ? errorOf(wrongError) : null, confirmed: data };
}

// What the library offers a client that wants choice-based sign-in or to refresh: it has no
// USER_AUTH, and its refreshSession is always InitiateAuth with REFRESH_TOKEN_AUTH.
async function refresh(password) {
  const user = userOf(username);
  user.setAuthenticationFlowType("USER_AUTH");
  const details = new AuthenticationDetails({ Username: username, Password: password });
  const [userAuth, userAuthError] = await settle((on) =>
    user.authenticateUser(details, { onSuccess: on("onSuccess"), onFailure: on("onFailure") }),
  );
  const result = { userAuth: userAuth === "onFailure" ? errorOf(userAuthError) : { userAuth } };

  user.setAuthenticationFlowType("USER_SRP_AUTH");
  const [outcome, session] = await authenticate(user, password);
  if (outcome !== "onSuccess") throw session instanceof Error ? session : new Error(outcome);
  result.signIn = tokensOf(session);
  const [error, refreshed] = await nodeStyle((done) =>
    user.refreshSession(session.getRefreshToken(), done),
  );
  result.refreshed = refreshed ? tokensOf(refreshed) : null;
  result.refreshError = error ? errorOf(error) : null;
  return result;
}

const commands = {
  "sign-in": () => signIn(rest[0], rest[1]),
  "sign-up": () => signUp(rest[0], rest[1]),
  confirm: () => confirm(rest[0]),
  refresh: () => refresh(rest[0]),
};

if (!(command in commands)) {
  console.error(`unknown command ${command}; one of ${Object.keys(commands).join(", ")}`);
  process.exit(2);
}
commands[command]().then(
  (result) => console.log(JSON.stringify(result)),
  (error) => {
    console.error(error?.stack ?? `${error?.name}: ${error?.message}`);
    process.exit(1);
  },
);
