// What the user is told when indexes cannot be loaded: one message for everything that failed
// together, not one pop-up per index. Offline on a first start every index fails within a moment
// of the others; the digest waits for that moment to pass, then says what failed and why, what
// keeps working, and how to point the server at files instead. The details stay in the log.

/** The settings that name each index's source, by the label the knowledge layer reports. */
const SETTING_OF_LABEL: Record<string, string> = {
  'nixpkgs packages': 'nixNur.nixpkgs.packages',
  'NixOS options': 'nixNur.nixos.options',
  'Home Manager options': 'nixNur.homeManager.options',
  'NUR repositories': 'nixNur.nur.repos',
  'NUR packages': 'nixNur.nur.packages',
};

const STILL_WORKS = 'Syntax and semantic diagnostics, builtins, local names, navigation, formatting, builds and flake commands work without them';

interface Notice {
  label: string;
  cause: string;
  /** A cached index is served meanwhile. */
  cached: boolean;
}

/** `nixpkgs packages: cannot resolve channels.nixos.org (offline?). No cached index is available.` */
function parseNotice(message: string): Notice {
  const colon = message.indexOf(': ');
  const label = colon > 0 ? message.slice(0, colon) : '';
  let cause = colon > 0 ? message.slice(colon + 2) : message;
  const cached = /Using the index cached [^.]* ago\.?$/.test(cause);
  cause = cause
    .replace(/\.? ?(No cached index is available|Using the index cached [^.]* ago)\.?$/, '')
    .trim();
  return { label, cause, cached };
}

function listed(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The one message for notices that arrived together. */
export function knowledgeNoticeDigest(messages: readonly string[]): string {
  // In the settings' order, whichever failed first.
  const order = Object.keys(SETTING_OF_LABEL);
  const rank = (notice: Notice) => (order.includes(notice.label) ? order.indexOf(notice.label) : order.length);
  const notices = messages.map(parseNotice).sort((a, b) => rank(a) - rank(b));
  if (notices.length === 1 && !notices[0]!.label) return `Nix: ${messages[0]}`;
  const failed = notices.filter((notice) => !notice.cached);
  const stale = notices.filter((notice) => notice.cached);
  const causes = [...new Set(notices.map((notice) => notice.cause))];
  const shownCauses = causes.length > 2 ? [...causes.slice(0, 2), `${causes.length - 2} more in the output`] : causes;
  const parts: string[] = [];
  if (failed.length > 0) parts.push(`Nix: the ${listed(failed.map((notice) => notice.label))} could not be loaded (${shownCauses.join('; ')}).`);
  if (stale.length > 0) {
    const lead = failed.length > 0 ? 'Using' : 'Nix: using';
    parts.push(`${lead} the last good cache for the ${listed(stale.map((notice) => notice.label))}${failed.length > 0 ? '' : ` (${shownCauses.join('; ')})`}.`);
  }
  if (failed.length > 0) {
    parts.push(`${STILL_WORKS}; completion and hover of what they list come back once they load.`);
    const settings = failed.map((notice) => SETTING_OF_LABEL[notice.label]).filter((setting): setting is string => !!setting);
    if (settings.length > 0) parts.push(`To use local files, set ${listed(settings.map((setting) => `\`${setting}\``))} to a path (or turn one off with an empty value).`);
  }
  return parts.join(' ');
}

/** Collects notices until none has arrived for `quietMs`, then sends their digest. */
export class KnowledgeNoticeDigest {
  private pending: string[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly send: (message: string) => void,
    private readonly quietMs = 1500,
  ) {}

  add(message: string): void {
    this.pending.push(message);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.quietMs);
    this.timer.unref?.();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const messages = this.pending;
    this.pending = [];
    this.send(knowledgeNoticeDigest(messages));
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
  }
}
