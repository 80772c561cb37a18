import { describe, expect, it } from 'vitest';
import { parseSettings } from '../../../server/src/config/settings';

describe('diagnostics settings', () => {
  it('reads ignored codes, excluded globs and conventional arguments', () => {
    const { settings, problems } = parseSettings({ diagnostics: { ignore: ['needless-rec', ' '], exclude: ['**/gen/**'], unusedConventionalArguments: true } });
    expect(settings.diagnostics).toMatchObject({ ignore: ['needless-rec'], exclude: ['**/gen/**'], unusedConventionalArguments: true });
    expect(problems).toEqual([]);
  });

  it('falls back to nothing ignored on a wrong type', () => {
    const { settings, problems } = parseSettings({ 'diagnostics.ignore': 'needless-rec' });
    expect(settings.diagnostics.ignore).toEqual([]);
    expect(settings.diagnostics.unusedConventionalArguments).toBe(false);
    expect(problems).toEqual(['nixNur.diagnostics.ignore: expected a list of strings; using the default']);
  });
});
