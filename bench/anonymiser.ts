/** Anonymiser throughput on realistic Dutch free text with identifiers, in message-sized chunks. */
import { anonymise } from '../src/privacy';

const SENTENCES = [
  'Ik maak me zorgen over een leerling uit groep 6 die vaak met blauwe plekken op school komt.',
  'Moeder, Fatima el Amrani, belde gisteren vanaf 06-12345678 en klonk erg gespannen.',
  'De vader (BSN 111222333) woont volgens de administratie op de Dorpsstraat 12, 8181 AB Heerde.',
  'Mail van de mentor: j.devries@school-heerde.nl, met het verzoek om vóór 12 maart te overleggen.',
  'Het kind is 7 jaar oud en vertelt dat het thuis vaak alleen is; de buurvrouw zorgt soms voor eten.',
  'Er is al contact geweest met het wijkteam en de huisarts, maar er is geen verbetering zichtbaar.',
  'Betalingen lopen via NL91ABNA0417164300; de oudere cliënt lijkt geen zicht meer te hebben op zijn geld.',
  'Meer informatie op https://example.org/dossier/12345 of bel Veilig Thuis via 0800-2000.',
  'Opa Jan Jansen (82) zegt dat zijn zoon hem soms opsluit als er bezoek komt.',
  'Vandaag na de gymles zag ik striemen op de rug; ze wilde er niet over praten.',
];

export interface AnonymiserResult {
  bytes: number;
  ms: number;
  mbPerSecond: number;
  chunks: number;
  findings: number;
}

export function benchAnonymiser(totalBytes: number, chunkChars = 1200, maxMs = 20_000): AnonymiserResult {
  // Build message-sized chunks deterministically.
  const chunks: string[] = [];
  let size = 0;
  let k = 0;
  while (size < totalBytes) {
    let chunk = '';
    while (chunk.length < chunkChars) chunk += SENTENCES[k++ % SENTENCES.length] + ' ';
    chunks.push(chunk);
    size += Buffer.byteLength(chunk);
  }
  // Warm-up.
  for (let i = 0; i < Math.min(50, chunks.length); i++) anonymise(chunks[i]!);
  let bytes = 0;
  let findings = 0;
  let done = 0;
  const t0 = performance.now();
  for (const c of chunks) {
    findings += anonymise(c).findings.length;
    bytes += Buffer.byteLength(c);
    done++;
    if (performance.now() - t0 > maxMs) break;
  }
  const ms = performance.now() - t0;
  return { bytes, ms, mbPerSecond: bytes / (1024 * 1024) / (ms / 1000), chunks: done, findings };
}
