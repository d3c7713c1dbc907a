// The AWS SDK for JavaScript v3, unmodified: choice-based sign-in (USER_AUTH) with an emailed
// code, then refresh-token rotation through GetTokensFromRefreshToken.
//
//   node sdk_v3_user_auth.mjs <clientId> <username>
//
// Endpoint, region and credentials come from the environment, as in sdk_v3.mjs. The code is
// asked of the test (converse.mjs). Prints one JSON line of results; on failure, exits 1 with
// the error on stderr.
import {
  CognitoIdentityProviderClient,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  InvalidParameterException,
  RefreshTokenReuseException,
  RespondToAuthChallengeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { ask, finish } from "./converse.mjs";

const [clientId, username] = process.argv.slice(2);
if (!clientId || !username) {
  console.error("usage: node sdk_v3_user_auth.mjs <clientId> <username>");
  process.exit(2);
}

const client = new CognitoIdentityProviderClient({});
const send = (command) => client.send(command);

// The SDK's error as a plain object: its class, Cognito's message, whether it is the modelled
// exception class the SDK exports.
async function refused(command, modelledClass) {
  try {
    await send(command);
  } catch (e) {
    return { name: e.name, message: e.message, modelled: e instanceof modelledClass };
  }
  return null;
}

async function main() {
  const started = await send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: "USER_AUTH",
      AuthParameters: { USERNAME: username },
    }),
  );
  const chosen = await send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: "SELECT_CHALLENGE",
      Session: started.Session,
      ChallengeResponses: { USERNAME: username, ANSWER: "EMAIL_OTP" },
    }),
  );
  const code = await ask("emailCode", {
    username,
    challengeParameters: chosen.ChallengeParameters,
  });
  const signedIn = await send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: "EMAIL_OTP",
      Session: chosen.Session,
      ChallengeResponses: { USERNAME: username, EMAIL_OTP_CODE: code },
    }),
  );
  const first = signedIn.AuthenticationResult;

  const refreshed = (
    await send(
      new GetTokensFromRefreshTokenCommand({
        ClientId: clientId,
        RefreshToken: first.RefreshToken,
      }),
    )
  ).AuthenticationResult;
  // The token just exchanged, once more: the client gives no grace period.
  const reused = await refused(
    new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: first.RefreshToken }),
    RefreshTokenReuseException,
  );
  // A rotating client's refresh goes through GetTokensFromRefreshToken only.
  const refreshFlow = await refused(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: "REFRESH_TOKEN_AUTH",
      AuthParameters: { REFRESH_TOKEN: refreshed.RefreshToken },
    }),
    InvalidParameterException,
  );

  return {
    started: {
      challengeName: started.ChallengeName,
      availableChallenges: started.AvailableChallenges,
    },
    chosen: {
      challengeName: chosen.ChallengeName,
      challengeParameters: chosen.ChallengeParameters,
    },
    signedIn: { challengeName: signedIn.ChallengeName ?? null, ...first },
    refreshed,
    reused,
    refreshFlow,
  };
}

finish(main);
