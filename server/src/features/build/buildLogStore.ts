// Keeps the full log of recent builds so "Show full log" can open one after the build is over.
// Bounded twice: only the most recent logs are kept, and each log keeps its first lines and its
// last lines when it grows past its limit (the middle of a huge log is the least useful part).

export interface BuildLogLimits {
  /** How many builds' logs to keep. */
  maxLogs: number;
  /** Lines kept per log: half from the start, half from the end. */
  maxLines: number;
}

const DEFAULT_LIMITS: BuildLogLimits = { maxLogs: 10, maxLines: 100_000 };

export class BuildLog {
  private readonly head: string[] = [];
  private tailLines: string[] = [];
  private dropped = 0;

  constructor(
    readonly id: string,
    readonly title: string,
    private readonly maxLines: number,
  ) {}

  append(line: string): void {
    const half = Math.max(1, Math.floor(this.maxLines / 2));
    if (this.head.length < half) {
      this.head.push(line);
      return;
    }
    this.tailLines.push(line);
    // Trim in batches so appending stays cheap.
    if (this.tailLines.length > half * 2) {
      const excess = this.tailLines.length - half;
      this.tailLines = this.tailLines.slice(excess);
      this.dropped += excess;
    }
  }

  /** All kept lines, with a marker where lines were dropped. */
  lines(): string[] {
    const half = Math.max(1, Math.floor(this.maxLines / 2));
    const excess = Math.max(0, this.tailLines.length - half);
    const dropped = this.dropped + excess;
    const tail = this.tailLines.slice(excess);
    return dropped > 0 ? [...this.head, `… ${dropped} lines not kept …`, ...tail] : [...this.head, ...tail];
  }

  text(): string {
    return this.lines().join('\n');
  }

  /** The last `count` lines. */
  tail(count: number): string[] {
    if (count <= 0) return [];
    if (this.tailLines.length >= count) return this.tailLines.slice(-count);
    return [...this.head.slice(-(count - this.tailLines.length)), ...this.tailLines];
  }
}

export class BuildLogStore {
  private readonly logs = new Map<string, BuildLog>();
  private counter = 0;
  private readonly limits: BuildLogLimits;

  constructor(limits: Partial<BuildLogLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  create(title: string): BuildLog {
    const log = new BuildLog(`build-${++this.counter}`, title, this.limits.maxLines);
    this.logs.set(log.id, log);
    while (this.logs.size > this.limits.maxLogs) {
      const oldest = this.logs.keys().next().value as string;
      this.logs.delete(oldest);
    }
    return log;
  }

  get(id: string): BuildLog | undefined {
    return this.logs.get(id);
  }
}
