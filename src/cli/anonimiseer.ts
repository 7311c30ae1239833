/**
 * `meldwijzer anonimiseer`: reads Dutch text on stdin and prints `{"text": <anonymised>, "findings": [...]}` + newline.
 * Findings carry UTF-16 offsets into the input. Empty stdin yields the result for the empty text. Exit 0 on success,
 * 1 on an internal error (message on stderr, never the input text: it may hold personal data).
 */
import type { CliCommand } from './io';
import { anonymise } from '../privacy/index';

export const anonimiseerCommand: CliCommand = async (_args, io) => {
  try {
    const input = await io.readStdin();
    const result = anonymise(input ?? '');
    io.stdout(JSON.stringify({ text: result.text, findings: result.findings }) + '\n');
    return 0;
  } catch (err) {
    io.stderr(`anonimiseer: interne fout: ${err instanceof Error ? err.name : 'onbekend'}\n`);
    return 1;
  }
};
