/** `meldwijzer advies`: one JSON case on stdin ─► one JSON advice on stdout (exit 0), or an error on stderr (exit 2). */
import { CaseInput } from '../meldcode/types';
import { advise } from '../meldcode/engine';
import { loadPolicy, formatIssues } from '../meldcode/policy';
import type { CliCommand } from './io';

export const adviesCommand: CliCommand = async (args, io) => {
  const lang = args.includes('--en') ? 'en' : 'nl';
  const policyArg = args.indexOf('--policy');
  const raw = await io.readStdin();
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    io.stderr('meldwijzer advies: de invoer is geen geldige JSON. Geef één casus als JSON-object op stdin.\n');
    return 2;
  }
  const parsed = CaseInput.safeParse(json);
  if (!parsed.success) {
    io.stderr(`meldwijzer advies: ongeldige casus:\n${formatIssues(parsed.error).map((l) => `  - ${l}`).join('\n')}\n`);
    return 2;
  }
  const policy = loadPolicy(policyArg >= 0 && args[policyArg + 1] ? args[policyArg + 1] : undefined);
  io.stdout(`${JSON.stringify(advise(parsed.data, policy, lang))}\n`);
  return 0;
};
