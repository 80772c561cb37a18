// Nix colours its messages with terminal escape sequences; users and diagnostics get plain text.
// Covers CSI sequences (colours, cursor moves), OSC sequences (hyperlinks, titles) and the
// two-character escapes.
const ANSI_PATTERN = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI_PATTERN, '');
}
