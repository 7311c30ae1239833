/** Anonymiser throughput on realistic Dutch free text with identifiers, in message-sized chunks. */
import { anonymise } from '../src/privacy';
import sentences from './anonymiser-sentences.json';

/** Realistic Dutch free text with identifiers; the same sentences `npm run eval:privacy -- --bench` measures. */
const SENTENCES: string[] = sentences;

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
