/**
 * A hand-drawn SVG: latency by percentile per series (HdrHistogram style). x: latency on a log scale; y: percentile
 * on a tail-stretching scale (-log10(1 - q): p0, p50, p90, p99, p99.9 evenly apart), so the tail is readable.
 * No dependencies.
 */

export interface Series {
  name: string;
  color: string;
  /** Latencies in ms. */
  samples: number[];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function latencyCdfSvg(title: string, series: Series[], opts: { width?: number; height?: number } = {}): string {
  const W = opts.width ?? 760;
  const H = opts.height ?? 420;
  const m = { l: 64, r: 24, t: 44, b: 56 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const all = series.flatMap((s) => s.samples).filter((x) => Number.isFinite(x) && x > 0);
  const nice = (v: number, up: boolean) => {
    const e = Math.floor(Math.log10(v));
    const steps = [1, 2, 5, 10].map((f) => f * 10 ** e);
    return up ? steps.find((x) => x >= v)! : [...steps].reverse().find((x) => x <= v)!;
  };
  const lo = nice(Math.max(0.1, Math.min(...all, 1)), false);
  const hi = nice(Math.max(...all, lo * 10), true);
  const lx0 = Math.log10(lo);
  const lx1 = Math.log10(hi);
  const YMAX = 3; // p99.9
  const tail = (q: number) => Math.min(YMAX, -Math.log10(Math.max(1e-9, 1 - q)));
  const x = (ms: number) => m.l + ((Math.log10(Math.min(hi, Math.max(ms, lo))) - lx0) / (lx1 - lx0)) * pw;
  const y = (q: number) => m.t + (1 - tail(q) / YMAX) * ph;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  out.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`);
  // Grid and axes.
  for (let e = Math.floor(lx0); e <= Math.ceil(lx1); e++) {
    for (const f of [1, 2, 5]) {
      const v = f * 10 ** e;
      if (v < lo * 0.999 || v > hi * 1.001) continue;
      const gx = x(v).toFixed(1);
      out.push(`<line x1="${gx}" y1="${m.t}" x2="${gx}" y2="${m.t + ph}" stroke="${f === 1 ? '#ccc' : '#eee'}"/>`);
      out.push(`<text x="${gx}" y="${m.t + ph + 16}" text-anchor="middle" fill="#444">${v >= 1 ? v : v.toFixed(1)}</text>`);
    }
  }
  for (const [q, label] of [[0, 'p0'], [0.5, 'p50'], [0.75, 'p75'], [0.9, 'p90'], [0.95, 'p95'], [0.99, 'p99'], [0.999, 'p99.9']] as Array<[number, string]>) {
    const gy = y(q).toFixed(1);
    out.push(`<line x1="${m.l}" y1="${gy}" x2="${m.l + pw}" y2="${gy}" stroke="${[0.5, 0.9, 0.99].includes(q) ? '#bbb' : '#eee'}"/>`);
    out.push(`<text x="${m.l - 6}" y="${(y(q) + 4).toFixed(1)}" text-anchor="end" fill="#444">${label}</text>`);
  }
  out.push(`<rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" fill="none" stroke="#444"/>`);
  out.push(`<text x="${m.l + pw / 2}" y="${H - 14}" text-anchor="middle">turn latency (ms, log scale): POST /api/messages until its HTTP response</text>`);
  out.push(`<text transform="translate(16 ${m.t + ph / 2}) rotate(-90)" text-anchor="middle">percentile of turns at or below</text>`);
  // Curves (at most ~600 points each, the tail in full).
  series.forEach((s, i) => {
    const sorted = [...s.samples].filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
    if (!sorted.length) return;
    const n = sorted.length;
    const pts: string[] = [];
    const step = Math.max(1, Math.floor(n / 400));
    for (let k = 0; k < n; k += k < n * 0.9 ? step : 1) {
      const q = k / n;
      if (tail(q) >= YMAX) break;
      pts.push(`${x(sorted[k]!).toFixed(1)},${y(q).toFixed(1)}`);
    }
    pts.push(`${x(sorted[Math.min(n - 1, Math.ceil(0.999 * n) - 1)]!).toFixed(1)},${y(0.999).toFixed(1)}`);
    out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts.join(' ')}"/>`);
    // Legend top left: fast and slow at once is where no latency curve goes.
    const ly = m.t + 20 + i * 18;
    const lx = m.l + 12;
    out.push(`<line x1="${lx}" y1="${ly - 4}" x2="${lx + 24}" y2="${ly - 4}" stroke="${s.color}" stroke-width="3"/>`);
    out.push(`<text x="${lx + 30}" y="${ly}">${esc(s.name)} (n=${n})</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}
