/** A hand-drawn SVG: cumulative distribution of turn latency per series, log-scaled x axis. No dependencies. */

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
  const lo = Math.max(0.1, Math.min(...all, 1));
  const hi = Math.max(...all, lo * 10);
  const lx0 = Math.floor(Math.log10(lo));
  const lx1 = Math.ceil(Math.log10(hi));
  const x = (ms: number) => m.l + ((Math.log10(Math.max(ms, 10 ** lx0)) - lx0) / (lx1 - lx0)) * pw;
  const y = (q: number) => m.t + (1 - q) * ph;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  out.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`);
  // Grid and axes.
  for (let e = lx0; e <= lx1; e++) {
    for (const f of [1, 2, 5]) {
      const v = f * 10 ** e;
      if (v < 10 ** lx0 || v > 10 ** lx1) continue;
      const gx = x(v).toFixed(1);
      out.push(`<line x1="${gx}" y1="${m.t}" x2="${gx}" y2="${m.t + ph}" stroke="${f === 1 ? '#ccc' : '#eee'}"/>`);
      out.push(`<text x="${gx}" y="${m.t + ph + 16}" text-anchor="middle" fill="#444">${v >= 1 ? v : v.toFixed(1)}</text>`);
    }
  }
  for (const q of [0, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1]) {
    const gy = y(q).toFixed(1);
    out.push(`<line x1="${m.l}" y1="${gy}" x2="${m.l + pw}" y2="${gy}" stroke="${[0.5, 0.95, 0.99].includes(q) ? '#bbb' : '#eee'}"/>`);
    out.push(`<text x="${m.l - 6}" y="${(y(q) + 4).toFixed(1)}" text-anchor="end" fill="#444">p${Math.round(q * 100)}</text>`);
  }
  out.push(`<rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" fill="none" stroke="#444"/>`);
  out.push(`<text x="${m.l + pw / 2}" y="${H - 14}" text-anchor="middle">turn latency (ms, log scale): POST /api/messages until its HTTP response</text>`);
  out.push(`<text transform="translate(16 ${m.t + ph / 2}) rotate(-90)" text-anchor="middle">share of turns at or below</text>`);
  // Curves (at most ~400 points each).
  series.forEach((s, i) => {
    const sorted = [...s.samples].filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
    if (!sorted.length) return;
    const step = Math.max(1, Math.floor(sorted.length / 400));
    const pts: string[] = [];
    for (let k = 0; k < sorted.length; k += step) pts.push(`${x(sorted[k]!).toFixed(1)},${y((k + 1) / sorted.length).toFixed(1)}`);
    pts.push(`${x(sorted[sorted.length - 1]!).toFixed(1)},${y(1).toFixed(1)}`);
    out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts.join(' ')}"/>`);
    const ly = m.t + 16 + i * 18;
    out.push(`<line x1="${m.l + 12}" y1="${ly - 4}" x2="${m.l + 36}" y2="${ly - 4}" stroke="${s.color}" stroke-width="3"/>`);
    out.push(`<text x="${m.l + 42}" y="${ly}">${esc(s.name)} (n=${sorted.length})</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}
