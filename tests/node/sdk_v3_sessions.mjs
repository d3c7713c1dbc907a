// The AWS SDK for JavaScript v3, unmodified: a user's own session APIs (2026), which its model
// has whatever botocore the mock runs on.
//
//   node sdk_v3_sessions.mjs <client-id> <username> <password>
//
// Signs in twice (two token sessions), lists the sessions with the first access token, revokes
// the second session and lists again. Prints one JSON line; a service error the SDK raises is
// reported in it ({"error": {...}}), anything else exits 1 with the error on stderr.
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  ListUserSessionsCommand,
  RevokeUserSessionCommand,
} from "@aws-sdk/client-cognito-identity-provider";

const [clientId, username, password] = process.argv.slice(2);
if (!clientId || !username || !password) {
  console.error("usage: node sdk_v3_sessions.mjs <client-id> <username> <password>");
  process.exit(2);
}

const client = new CognitoIdentityProviderClient({});
const send = (command) => client.send(command);

const signIn = async () =>
  (
    await send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: username, PASSWORD: password },
      }),
    )
  ).AuthenticationResult;

const listed = async (accessToken) =>
  (await send(new ListUserSessionsCommand({ AccessToken: accessToken }))).Sessions.map((s) => ({
    SessionId: s.SessionId,
    SessionType: s.SessionType,
    ClientId: s.ClientId,
    IsCurrentSession: s.IsCurrentSession,
    created: s.CreateDate instanceof Date,
  }));

async function main() {
  const first = await signIn();
  const second = await signIn();
  let before;
  try {
    before = await listed(first.AccessToken);
  } catch (e) {
    if (!e.$metadata) throw e; // not an answer from the service
    return { error: { name: e.name, message: e.message, status: e.$metadata.httpStatusCode } };
  }
  const other = before.find((s) => !s.IsCurrentSession);
  await send(
    new RevokeUserSessionCommand({ AccessToken: first.AccessToken, SessionId: other.SessionId }),
  );
  return { before, revoked: other.SessionId, after: await listed(first.AccessToken),
           secondRefreshToken: second.RefreshToken };
}

main().then(
  (result) => console.log(JSON.stringify(result)),
  (error) => {
    console.error(error?.stack ?? String(error));
    process.exit(1);
  },
);
