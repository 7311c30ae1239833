/** Command dispatcher for `npx meldwijzer …`. */
import type { CliCommand, CliIo } from './io';
import { adviesCommand } from './advies';
import { policyCheckCommand } from './policyCheck';
import { outboxCommand } from './outbox';
import { policyPathFromEnv } from '../config';
import { usePolicyFile } from '../meldcode/policy';

const USAGE = `Gebruik:
  meldwijzer advies [--en] [--policy <bestand>]   één casus (JSON) op stdin ─► advies (JSON) op stdout
  meldwijzer policy check [bestand]               controleert een policybestand
  meldwijzer anonimiseer                          tekst op stdin ─► { text, findings } (JSON)
  meldwijzer outbox status | retry [id …]         achterstand en geweigerde records; geweigerde opnieuw aanbieden
`;

async function anonimiseer(): Promise<CliCommand> {
  // Loaded on demand: the anonymiser's name lists are only needed for this command.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require('./anonimiseer') as { anonimiseerCommand: CliCommand };
  return mod.anonimiseerCommand;
}

export function processIo(): CliIo {
  return {
    readStdin: () =>
      new Promise((resolve, reject) => {
        if (process.stdin.isTTY) return resolve('');
        const chunks: Buffer[] = [];
        process.stdin.on('data', (c: Buffer) => chunks.push(c));
        process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        process.stdin.on('error', reject);
      }),
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
  };
}

export async function runCli(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [cmd, ...rest] = argv;
  usePolicyFile(policyPathFromEnv());
  try {
    if (cmd === 'advies') return await adviesCommand(rest, io);
    if (cmd === 'policy' && rest[0] === 'check') return await policyCheckCommand(rest.slice(1), io);
    if (cmd === 'outbox') return await outboxCommand(rest, io);
    if (cmd === 'anonimiseer') return await (await anonimiseer())(rest, io);
    if (cmd === undefined || cmd === 'help' || cmd === '--help' || cmd === '-h') {
      (cmd ? io.stdout : io.stderr)(USAGE);
      return cmd ? 0 : 2;
    }
    io.stderr(`meldwijzer: onbekend commando "${cmd}"\n${USAGE}`);
    return 2;
  } catch (err) {
    io.stderr(`meldwijzer: interne fout: ${(err as Error).message}\n`);
    return 1;
  }
}
