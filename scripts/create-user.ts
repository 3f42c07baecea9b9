/**
 * npm run user:create -- --username NAME --role admin [--region 320000] [--name 显示名] [--password PW]
 * Creates an account from the command line, e.g. the first admin of a real deployment.
 * Without --password the password is asked for (input hidden when run in a terminal).
 */
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { createDb, migrateDb } from '../db/client.ts';
import { loadConfig } from '../server/config.ts';
import { translator } from '../server/lib/i18n.ts';
import { ValidationError } from '../server/lib/errors.ts';
import { parseInput, translateErrors } from '../server/lib/validation.ts';
import { loadRegionTree } from '../server/regions/regions.loader.ts';
import { CreateUser } from '../server/users/users.schema.ts';
import { createUser } from '../server/users/users.service.ts';

async function askPassword(): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  const muted = rl as unknown as { _writeToOutput?: (s: string) => void };
  const ask = async (prompt: string) => {
    process.stdout.write(prompt);
    if (process.stdin.isTTY) muted._writeToOutput = () => undefined;
    const answer = await rl.question('');
    if (process.stdin.isTTY) process.stdout.write('\n');
    return answer;
  };
  const first = await ask('Password: ');
  const second = process.stdin.isTTY ? await ask('Repeat password: ') : first;
  rl.close();
  if (first !== second) throw new Error('The two passwords differ.');
  return first;
}

const { values } = parseArgs({
  options: {
    username: { type: 'string' },
    role: { type: 'string', default: 'admin' },
    region: { type: 'string', default: '' },
    name: { type: 'string' },
    password: { type: 'string' },
  },
});

const t = translator('en');
const config = loadConfig();
const db = createDb(config.databasePath);
migrateDb(db);
loadRegionTree(db);
try {
  const password = values.password ?? (await askPassword());
  const parsed = parseInput(CreateUser, {
    username: values.username ?? '',
    displayName: values.name ?? values.username ?? '',
    role: values.role,
    regionCode: values.region,
    password,
    passwordConfirm: password,
  });
  if (!parsed.ok) throw new ValidationError(parsed.errors);
  const { id } = await createUser(db, null, parsed.data);
  console.log(`created user ${parsed.data.username} (id ${id}, role ${parsed.data.role})`);
} catch (err) {
  if (err instanceof ValidationError) {
    for (const [field, message] of Object.entries(translateErrors(err.fields, t))) console.error(`${field}: ${message}`);
  } else {
    console.error(err instanceof Error ? err.message : err);
  }
  process.exitCode = 1;
} finally {
  db.$client.close();
}
