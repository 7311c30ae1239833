/** `meldwijzer policy check [file]`: validates a policy file; prints what is wrong, in Dutch, per path. */
import { readFileSync } from 'node:fs';
import { defaultPolicyPath, parsePolicy, PolicyError } from '../meldcode/policy';
import type { CliCommand } from './io';

export const policyCheckCommand: CliCommand = async (args, io) => {
  const file = args[0] ?? defaultPolicyPath();
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    io.stderr(`policy check: ${file} kan niet worden gelezen als JSON: ${(err as Error).message}\n`);
    return 2;
  }
  try {
    const p = parsePolicy(raw);
    io.stdout(`policy ${file} is geldig: ${p.gemeenten.length} gemeenten, ${p.signalen.length} signalen, ${p.routering.length} routeringsregels (versie ${p.versie}).\n`);
    return 0;
  } catch (err) {
    if (err instanceof PolicyError) {
      io.stderr(`policy check: ${file} is ongeldig:\n${err.issues.map((l) => `  - ${l}`).join('\n')}\n`);
      return 2;
    }
    throw err;
  }
};
