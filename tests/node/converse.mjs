// Asking the Python test for something only it knows, mid-flow (the code the mock emailed).
// The test runs the script with converse() from tests/support/node.py:
//
//   const code = await ask("emailCode", { username });  // prints {"ask": "emailCode", ...}
//                                                       // and reads the answer's JSON line
//   finish(main);  // runs main, prints its result (the one line that is not a question)
//
// On failure finish exits 1 with the error on stderr, as the other scripts do.
import { createInterface } from "node:readline";

let answers = null; // stdin's lines, opened by the first question only

export async function ask(what, details = {}) {
  answers ??= createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  console.log(JSON.stringify({ ask: what, ...details }));
  const { value, done } = await answers.next();
  if (done) throw new Error(`no answer to ${what}: the test closed stdin`);
  return JSON.parse(value);
}

export function finish(main) {
  main().then(
    (result) => {
      console.log(JSON.stringify(result));
      answers?.return(); // stop reading stdin, so node can exit
    },
    (error) => {
      console.error(error?.stack ?? `${error?.name}: ${error?.message}`);
      process.exit(1);
    },
  );
}
