// `nixNur.formatting.command`: an argument vector, nested or dotted, and a clear warning for
// anything else.
import { describe, expect, it } from 'vitest';
import { parseSettings } from '../../../server/src/config/settings';

describe('nixNur.formatting.command', () => {
  it('is empty (the built-in formatter) by default', () => {
    expect(parseSettings(undefined).settings.formatting.command).toEqual([]);
  });

  it('takes an array of strings, nested or with a dotted key', () => {
    expect(parseSettings({ formatting: { command: ['alejandra', '--quiet'] } }).settings.formatting.command).toEqual(['alejandra', '--quiet']);
    expect(parseSettings({ 'formatting.command': ['nixfmt'] }).settings.formatting.command).toEqual(['nixfmt']);
  });

  it('ignores a string (no shell splits it) with a warning', () => {
    const parsed = parseSettings({ formatting: { command: 'nixfmt --width 80' } });
    expect(parsed.settings.formatting.command).toEqual([]);
    expect(parsed.problems).toEqual(['nixNur.formatting.command: expected a list of strings; using the default']);
  });
});
