import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluationDiagnostics, rangeAtNixPosition, type LoadedFile } from '../../../server/src/features/build/evaluationDiagnostics';
import { WorkspaceSources } from '../../../server/src/features/build/workspaceSources';
import { parseNixLog, Verbosity } from '../../../server/src/nix/internalJson';
import { isErrorMessage, nixErrorOf } from '../../../server/src/nix/nixErrors';
import { parseNix, recordedStderr, recordedVersions } from './recordings';

const project = join(__dirname, '..', '..', 'fixtures', 'build', 'projects', 'flake');

describe.each(recordedVersions())('diagnostics from a recorded evaluation error of Nix %s', (version) => {
  it('lands on the workspace copy of the file, on the offending expression', async () => {
    const workspace = '/workspace/flake';
    const sources = new WorkspaceSources({ sourceRoot: workspace, flakeDir: workspace, exists: () => false });
    const events = parseNixLog(recordedStderr('flake-evalfail', version));
    for (const event of events) if (event.action === 'msg' && event.level >= Verbosity.Talkative) sources.observe(event.msg);
    const errors = events.filter(isErrorMessage).map(nixErrorOf);

    const content = readFileSync(join(project, 'pkgs', 'evalfail.nix'), 'utf8');
    const tree = await parseNix(content);
    const mkContent = readFileSync(join(project, 'lib', 'mk.nix'), 'utf8');
    const files = new Map<string, LoadedFile>([
      [`${workspace}/pkgs/evalfail.nix`, { uri: 'file:///workspace/flake/pkgs/evalfail.nix', content, tree }],
      [`${workspace}/lib/mk.nix`, { uri: 'file:///workspace/flake/lib/mk.nix', content: mkContent }],
    ]);
    const result = evaluationDiagnostics(errors, (file) => sources.toWorkspacePath(file), files);
    tree.delete();

    expect(result).toHaveLength(1);
    expect(result[0].uri).toBe('file:///workspace/flake/pkgs/evalfail.nix');
    const [diagnostic] = result[0].diagnostics;
    expect(diagnostic).toMatchObject({
      message: 'cannot add a string to an integer',
      severity: 1,
      source: 'nix build',
      code: 'evaluation-error',
      // `  deps = [ (1 + "two") ];` — Nix points at the string.
      range: { start: { line: 5, character: 16 }, end: { line: 5, character: 21 } },
    });
    expect(diagnostic.relatedInformation?.some((info) => info.location.uri === 'file:///workspace/flake/lib/mk.nix' && info.location.range.start.line === 9)).toBe(true);
  });
});

describe('rangeAtNixPosition', () => {
  it('counts Nix columns in bytes', async () => {
    const content = '{ greeting = "grüß"; bad = x; }\n';
    const tree = await parseNix(content);
    // "x" is at byte column 30 (ü and ß take two bytes each) and UTF-16 character 27.
    expect(rangeAtNixPosition({ uri: 'file:///a.nix', content, tree }, { file: '/a.nix', line: 1, column: 30 })).toEqual({
      start: { line: 0, character: 27 },
      end: { line: 0, character: 28 },
    });
    tree.delete();
  });

  it('falls back to one character without the file', () => {
    expect(rangeAtNixPosition(undefined, { file: '/a.nix', line: 3, column: 5 })).toEqual({ start: { line: 2, character: 4 }, end: { line: 2, character: 5 } });
  });
});

describe('evaluationDiagnostics', () => {
  it('skips errors with no position in the workspace', () => {
    const errors = [{ summary: 'x', text: 'error: x', trace: [], position: { file: '/nix/store/6chvgnp0ly30qz1aclivkjssfv3vpxql-nixpkgs/a.nix', line: 1, column: 1 } }];
    expect(evaluationDiagnostics(errors, () => undefined, new Map())).toEqual([]);
  });

  it('falls back to the innermost trace frame in the workspace', () => {
    const errors = [
      {
        summary: 'assertion failed',
        text: '',
        position: { file: '/nix/store/6chvgnp0ly30qz1aclivkjssfv3vpxql-nixpkgs/lib.nix', line: 9, column: 3 },
        trace: [{ message: 'while evaluating x', position: { file: '/w/default.nix', line: 2, column: 4 } }],
      },
    ];
    const result = evaluationDiagnostics(errors, (file) => (file.startsWith('/w/') ? file : undefined), new Map());
    expect(result).toEqual([
      { uri: 'file:///w/default.nix', diagnostics: [expect.objectContaining({ message: 'assertion failed', range: { start: { line: 1, character: 3 }, end: { line: 1, character: 4 } } })] },
    ]);
  });
});
