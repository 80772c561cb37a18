// Timing helpers for benchmarks: medians and percentiles over repeated runs, and a markdown table.
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export const median = (samples: number[]) => percentile(samples, 50);

export async function timeRuns(runs: number, body: () => unknown | Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await body();
    samples.push(performance.now() - start);
  }
  return samples;
}

/** Times `fn` `runs` times after one warm-up run, collecting garbage before each (needs --expose-gc). */
export function measureSync(runs: number, fn: () => void): number[] {
  fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  return samples;
}

/** Like `measureSync`, each run on a fresh input that `prepare` makes outside the timing. */
export function measureEach<T>(runs: number, prepare: () => T, fn: (input: T) => void): number[] {
  fn(prepare());
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const input = prepare();
    (globalThis as { gc?: () => void }).gc?.();
    const start = performance.now();
    fn(input);
    samples.push(performance.now() - start);
  }
  return samples;
}

export function ms(value: number): string {
  if (!Number.isFinite(value)) return '—';
  return value < 1 ? `${(value * 1000).toFixed(0)} µs` : `${value.toFixed(value < 10 ? 2 : 1)} ms`;
}

export function printTable(header: string[], rows: string[][]): void {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  console.log(line(header));
  console.log(line(header.map(() => '---')));
  for (const row of rows) console.log(line(row));
}

export function mb(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(0)} MB` : '—';
}

/** ✓ when `value` is under `limit`, ✗ otherwise: a target in a table. */
export function meets(value: number, limit: number): string {
  return value < limit ? '✓' : '✗';
}

/** Least-squares slope of y over x (units of y per unit of x); NaN with fewer than two points. */
export function slope(points: { x: number; y: number }[]): number {
  if (points.length < 2) return NaN;
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / points.length;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / points.length;
  let numerator = 0;
  let denominator = 0;
  for (const p of points) {
    numerator += (p.x - meanX) * (p.y - meanY);
    denominator += (p.x - meanX) ** 2;
  }
  return denominator === 0 ? NaN : numerator / denominator;
}
