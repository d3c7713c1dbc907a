// The AWS SDK for JavaScript v3, unmodified, against the mock's loopback endpoint.
//
//   node sdk_v3.mjs <username> <password>
//
// No endpoint, region or credentials in code: the SDK takes them from the environment
// (AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER, AWS_REGION, AWS_ACCESS_KEY_ID...), as the
// mock's subprocess_env() sets them. Prints one JSON line of results; on failure, exits 1
// with the error on stderr.
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  UserNotFoundException,
} from "@aws-sdk/client-cognito-identity-provider";

const [username, password] = process.argv.slice(2);
if (!username || !password) {
  console.error("usage: node sdk_v3.mjs <username> <password>");
  process.exit(2);
}

const client = new CognitoIdentityProviderClient({});

// Where every request really went (the endpoint the SDK resolved from the environment).
const requests = [];
client.middlewareStack.add(
  (next) => async (args) => {
    const { hostname, port, path } = args.request;
    requests.push(`http://${hostname}:${port}${path}`);
    return next(args);
  },
  { step: "finalizeRequest", name: "recordRequests" },
);

const send = (command) => client.send(command);

async function main() {
  const pool = (await send(new CreateUserPoolCommand({ PoolName: "node-sdk" }))).UserPool;
  const appClient = (
    await send(
      new CreateUserPoolClientCommand({
        UserPoolId: pool.Id,
        ClientName: "node-web",
        ExplicitAuthFlows: [
          "ALLOW_ADMIN_USER_PASSWORD_AUTH",
          "ALLOW_USER_PASSWORD_AUTH",
          "ALLOW_USER_SRP_AUTH",
          "ALLOW_REFRESH_TOKEN_AUTH",
        ],
      }),
    )
  ).UserPoolClient;
  const created = (
    await send(
      new AdminCreateUserCommand({
        UserPoolId: pool.Id,
        Username: username,
        MessageAction: "SUPPRESS",
        UserAttributes: [{ Name: "email", Value: `${username}@example.com` }],
      }),
    )
  ).User;
  await send(
    new AdminSetUserPasswordCommand({
      UserPoolId: pool.Id,
      Username: username,
      Password: password,
      Permanent: true,
    }),
  );
  const admin = await send(
    new AdminInitiateAuthCommand({
      UserPoolId: pool.Id,
      ClientId: appClient.ClientId,
      AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );
  const user = await send(
    new InitiateAuthCommand({
      ClientId: appClient.ClientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );

  let error = null;
  try {
    await send(new AdminGetUserCommand({ UserPoolId: pool.Id, Username: "nobody" }));
  } catch (e) {
    error = {
      name: e.name,
      message: e.message,
      modelled: e instanceof UserNotFoundException,
      fault: e.$fault,
      httpStatusCode: e.$metadata?.httpStatusCode,
    };
  }

  return {
    region: await client.config.region(),
    requests,
    poolId: pool.Id,
    poolArn: pool.Arn,
    clientId: appClient.ClientId,
    explicitAuthFlows: appClient.ExplicitAuthFlows,
    userStatus: created.UserStatus,
    adminAuth: admin.AuthenticationResult,
    userAuth: user.AuthenticationResult,
    error,
  };
}

main().then(
  (result) => console.log(JSON.stringify(result)),
  (error) => {
    console.error(error?.stack ?? String(error));
    process.exit(1);
  },
);
