// Amplify JavaScript (aws-amplify 6, its @aws-amplify/auth), unmodified, under node: passwordless
// sign-in with an emailed code (USER_AUTH, EMAIL_OTP), a forced token refresh, optionally sign-out.
//
//   node amplify.mjs <poolId> <clientId> <username> [sign-out]
//
// The endpoint is AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER, given to Amplify as the pool's
// `userPoolEndpoint`. The code is asked of the test (converse.mjs). Prints one JSON line of
// results; on failure, exits 1 with the error on stderr.
//
// Storage: without a browser Amplify keeps tokens in memory; this script hands its token provider
// an in-memory KeyValueStorage of its own to read the refresh token that Amplify never returns.
import { Amplify } from "aws-amplify";
import { confirmSignIn, fetchAuthSession, getCurrentUser, signIn, signOut } from "aws-amplify/auth";
import { cognitoUserPoolsTokenProvider } from "aws-amplify/auth/cognito";
import { ask, finish } from "./converse.mjs";

const endpoint = process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER;
const [userPoolId, userPoolClientId, username, then] = process.argv.slice(2);
if (!endpoint || !userPoolId || !userPoolClientId || !username) {
  console.error("usage: see the head of amplify.mjs (and set the endpoint variable)");
  process.exit(2);
}

const stored = new Map();
const storage = {
  setItem: async (key, value) => void stored.set(key, value),
  getItem: async (key) => stored.get(key) ?? null,
  removeItem: async (key) => void stored.delete(key),
  clear: async () => stored.clear(),
};
// Amplify's keys: CognitoIdentityServiceProvider.<clientId>.<username>.refreshToken
const storedRefreshToken = () =>
  [...stored].find(([key]) => key.endsWith(".refreshToken"))?.[1] ?? null;

Amplify.configure({
  Auth: { Cognito: { userPoolId, userPoolClientId, userPoolEndpoint: endpoint } },
});
cognitoUserPoolsTokenProvider.setKeyValueStorage(storage);

const errorOf = (e) => ({ name: e.name, message: e.message });

async function session(options) {
  const { tokens, userSub } = await fetchAuthSession(options);
  return {
    userSub,
    idToken: tokens.idToken.toString(),
    accessToken: tokens.accessToken.toString(),
    refreshToken: storedRefreshToken(),
  };
}

async function main() {
  const result = {};
  const started = await signIn({
    username,
    options: { authFlowType: "USER_AUTH", preferredChallenge: "EMAIL_OTP" },
  });
  result.signIn = started;
  const code = await ask("emailCode", { username, nextStep: started.nextStep });

  // A mistyped code first: Amplify keeps the sign-in going, and the right code still works.
  const wrong = code === "00000000" ? "11111111" : "00000000";
  result.wrongCode = await confirmSignIn({ challengeResponse: wrong }).then(
    (unexpected) => ({ unexpected }),
    errorOf,
  );
  result.confirmed = await confirmSignIn({ challengeResponse: code });

  result.currentUser = await getCurrentUser();
  result.session = await session();
  result.refreshed = await session({ forceRefresh: true });

  if (then === "sign-out") {
    await signOut();
    result.storedAfterSignOut = [...stored.keys()];
  }
  return result;
}

finish(main);
