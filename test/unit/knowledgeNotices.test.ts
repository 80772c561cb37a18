import { afterEach, describe, expect, it, vi } from 'vitest';
import { KnowledgeNoticeDigest, knowledgeNoticeDigest } from '../../server/src/knowledgeNotices';

describe('the message about indexes that could not be loaded', () => {
  it('names every failed index once, the causes once, what works and the settings for files', () => {
    const message = knowledgeNoticeDigest([
      'NUR packages: cannot resolve raw.githubusercontent.com (offline?). No cached index is available.',
      'nixpkgs packages: cannot resolve channels.nixos.org (offline?). No cached index is available.',
      'NixOS options: cannot resolve channels.nixos.org (offline?). No cached index is available.',
    ]);
    expect(message).toBe(
      'Nix: the nixpkgs packages, NixOS options and NUR packages could not be loaded (cannot resolve channels.nixos.org (offline?); cannot resolve raw.githubusercontent.com (offline?)). ' +
        'Syntax and semantic diagnostics, builtins, local names, navigation, formatting, builds and flake commands work without them; completion and hover of what they list come back once they load. ' +
        'To use local files, set `nixNur.nixpkgs.packages`, `nixNur.nixos.options` and `nixNur.nur.packages` to a path (or turn one off with an empty value).',
    );
  });

  it('says calmly that a cached index is still served', () => {
    expect(knowledgeNoticeDigest(['NixOS options: cannot resolve channels.nixos.org (offline?). Using the index cached 3 days ago.'])).toBe(
      'Nix: using the last good cache for the NixOS options (cannot resolve channels.nixos.org (offline?)).',
    );
  });

  it('passes a message it cannot read on as it is', () => {
    expect(knowledgeNoticeDigest(['something odd'])).toBe('Nix: something odd');
  });
});

describe('collecting notices that arrive together', () => {
  afterEach(() => vi.useRealTimers());

  it('sends one digest once none has arrived for a moment', () => {
    vi.useFakeTimers();
    const sent: string[] = [];
    const digest = new KnowledgeNoticeDigest((message) => sent.push(message), 1000);
    digest.add('nixpkgs packages: refused. No cached index is available.');
    vi.advanceTimersByTime(900);
    digest.add('NUR packages: refused. No cached index is available.');
    vi.advanceTimersByTime(900);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(200);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/nixpkgs packages and NUR packages could not be loaded \(refused\)/);
    vi.advanceTimersByTime(5000);
    expect(sent).toHaveLength(1);
  });
});
