// (m)'s JavaScript client: the AWS SDK for JavaScript v3 calling one cognito-idp endpoint in a
// loop, sequentially, over one kept-alive connection. Run by benchmarks/loopback.py:
//
//     node benchmarks/node/loop.mjs '<plan as JSON>'
//
// plan: {"endpoint": "http://127.0.0.1:<port>", "region": "us-east-1", "warmup": 20,
//        "batchNs": 5e8, "minCount": 5, "maxCount": 200, "batches": 3,
//        "calls": [{"name": "AdminGetUser", "input": {...}}, ...]}
// Each call is made `warmup` times (timed, not reported), then `batches` times `count` times
// back to back, `count` being what fills batchNs at the warm-up's pace, within
// [minCount, maxCount] (as benchmarks/loopback.py does for botocore). One JSON line goes to
// stdout: {"samples": {"<name>": [mean ns per call of each batch]}, "errors": {"<name>":
// "<message>"}, "sockets": <connections opened>, "sdk": "<version>"}.
import { Agent } from "node:http";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as sdk from "@aws-sdk/client-cognito-identity-provider";

const plan = JSON.parse(process.argv[2]);
const require = createRequire(import.meta.url);
const sdkVersion = JSON.parse(
  readFileSync(require.resolve("@aws-sdk/client-cognito-identity-provider/package.json"), "utf8"),
).version;

let sockets = 0;
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const originalCreate = agent.createConnection.bind(agent);
agent.createConnection = (...args) => {
  sockets += 1;
  return originalCreate(...args);
};

const client = new sdk.CognitoIdentityProviderClient({
  endpoint: plan.endpoint,
  region: plan.region,
  credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
  maxAttempts: 1, // a failure is reported, not retried into the timing
  requestHandler: { httpAgent: agent },
});

const samples = {};
const errors = {};
for (const call of plan.calls) {
  const Command = sdk[`${call.name}Command`];
  const send = () => client.send(new Command(call.input));
  try {
    const warmStart = process.hrtime.bigint();
    for (let i = 0; i < plan.warmup; i += 1) {
      await send();
    }
    const warmNs = Number(process.hrtime.bigint() - warmStart) / plan.warmup;
    const fitting = Math.floor(plan.batchNs / Math.max(warmNs, 1));
    const count = Math.max(plan.minCount, Math.min(plan.maxCount, fitting));
    samples[call.name] = [];
    for (let b = 0; b < plan.batches; b += 1) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < count; i += 1) {
        await send();
      }
      const elapsed = process.hrtime.bigint() - start;
      samples[call.name].push(Number(elapsed) / count);
    }
  } catch (error) {
    delete samples[call.name];
    errors[call.name] = `${error.name}: ${error.message}`;
  }
}
client.destroy();
agent.destroy();
process.stdout.write(`${JSON.stringify({ samples, errors, sockets, sdk: sdkVersion })}\n`);
