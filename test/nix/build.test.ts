// Builds real derivations (builtins.derivation with /bin/sh, no nixpkgs) with every Nix installed
// here, through the same function the `nixNur.build` command runs.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, TextEdit } from 'vscode-languageserver-types';
import type { Parser } from 'web-tree-sitter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listBuildables } from '../../server/src/features/build/buildables';
import { BuildLogStore } from '../../server/src/features/build/buildLogStore';
import { runBuild, type BuildDependencies, type BuildResult } from '../../server/src/features/build/runBuild';
import { detectNix, type NixCapabilities } from '../../server/src/nix/version';
import { createNixParser } from '../../server/src/syntax/parser';
import { nixInstallations, requireNixInCi, type NixInstallation } from '../support/nixInstallations';
import { fixtureWorkspace, type FixtureWorkspace } from '../fixtures/build/workspace';

requireNixInCi();
const installations = nixInstallations();

let parser: Parser;
beforeAll(async () => {
  parser = await createNixParser();
});

interface Recorded {
  deps: BuildDependencies;
  begins: string[];
  reports: { message: string; percentage?: number }[];
  ends: string[];
  lines: string[];
}

function recorder(capabilities: NixCapabilities, workspace: FixtureWorkspace, logs = new BuildLogStore()): Recorded {
  const recorded: Recorded = { begins: [], reports: [], ends: [], lines: [], deps: undefined as unknown as BuildDependencies };
  recorded.deps = {
    capabilities,
    progress: {
      begin: (title) => recorded.begins.push(title),
      report: (message, percentage) => recorded.reports.push({ message, percentage }),
      end: (message) => recorded.ends.push(message),
    },
    onLogLine: (line) => recorded.lines.push(line),
    parser,
    logs,
    tools: { env: workspace.env },
  };
  return recorded;
}

function applyEdit(action: CodeAction): void {
  for (const [uri, edits] of Object.entries(action.edit?.changes ?? {})) {
    const path = fileURLToPath(uri);
    const document = TextDocument.create(uri, 'nix', 1, readFileSync(path, 'utf8'));
    writeFileSync(path, TextDocument.applyEdits(document, edits as TextEdit[]));
  }
}

function expectFailed(result: BuildResult) {
  if (result.status !== 'failed') throw new Error(`expected a failure, got ${JSON.stringify(result)}`);
  return result;
}

describe.skipIf(installations.length === 0)('building with real Nix', () => {
  describe.each(installations.map((installation) => [installation.version, installation] as [string, NixInstallation]))('Nix %s', (_version, installation) => {
    let capabilities: NixCapabilities;
    let flake: FixtureWorkspace;
    let legacy: FixtureWorkspace;

    beforeAll(async () => {
      const detected = await detectNix(join(installation.binDir, 'nix'), { env: installation.env });
      if (!detected) throw new Error(`nix ${installation.version} did not report its version`);
      capabilities = detected;
      flake = fixtureWorkspace('flake', installation);
      legacy = fixtureWorkspace('legacy', installation);
    });

    afterAll(() => {
      flake?.remove();
      legacy?.remove();
    });

    it('builds a two-derivation chain of a flake, reporting each build and returning the output path', async () => {
      const recorded = recorder(capabilities, flake);
      const result = await runBuild({ cwd: flake.uri, installable: '.#app' }, recorded.deps);
      expect(result).toMatchObject({ status: 'succeeded', label: '.#app', diagnostics: [] });
      if (result.status !== 'succeeded') return;
      expect(result.outputs).toEqual([expect.stringMatching(/^\/nix\/store\/[0-9a-z]{32}-app-1\.0$/)]);
      expect(readFileSync(installation.storePrefix + result.outputs[0], 'utf8')).toBe('ok\n');

      expect(recorded.begins).toEqual(['Building .#app']);
      expect(recorded.ends).toEqual(['Built .#app']);
      const messages = recorded.reports.map((report) => report.message);
      expect(messages[0]).toBe('Evaluating…');
      expect(messages).toContain('Building 1/2: liba-1.0 — buildPhase');
      expect(messages).toContain('Building 2/2: app-1.0 — buildPhase');
      expect(recorded.reports[recorded.reports.length - 1]).toEqual({ message: 'Built 2/2', percentage: 100 });
      const percentages = recorded.reports.map((report) => report.percentage ?? 0);
      expect(percentages).toEqual([...percentages].sort((a, b) => a - b));
      expect(recorded.lines).toContain('liba-1.0> building liba');
      expect(recorded.lines).toContain('app-1.0> building app');
    });

    it('builds with nix-build from a default.nix', async () => {
      const recorded = recorder(capabilities, legacy);
      const result = await runBuild({ cwd: legacy.uri, file: 'default.nix', attr: 'app' }, recorded.deps);
      expect(result).toMatchObject({ status: 'succeeded', outputs: [expect.stringMatching(/-app-1\.0$/)] });
      expect(recorded.reports.map((report) => report.message)).toContain('Building 2/2: app-1.0 — buildPhase');
    });

    it('returns the tail of the log of a failing build, and keeps the full log', async () => {
      const logs = new BuildLogStore();
      const recorded = recorder(capabilities, flake, logs);
      const result = expectFailed(await runBuild({ cwd: flake.uri, installable: '.#broken' }, recorded.deps));
      expect(result.kind).toBe('build');
      expect(result.logTail).toHaveLength(30);
      expect(result.logTail[result.logTail.length - 1]).toBe('broken-1.0> error: unit 41 does not compile');
      expect(result.message).toMatch(/^builder for '\/nix\/store\/[0-9a-z]{32}-broken-1\.0\.drv' failed with exit code 3/);
      expect(result.message).toContain('broken-1.0> compiling unit 40');
      expect(recorded.ends).toEqual(['Build failed']);
      const full = logs.get(result.logId!)!.lines();
      expect(full).toContain('broken-1.0> compiling unit 1');
      expect(full).toContain('broken-1.0> error: unit 41 does not compile');
    });

    it('puts an evaluation error of a flake on the workspace file, not on its store copy', async () => {
      const recorded = recorder(capabilities, flake);
      const result = expectFailed(await runBuild({ cwd: flake.uri, installable: '.#evalFail' }, recorded.deps));
      expect(result.kind).toBe('evaluation');
      expect(result.message).toBe(`cannot add a string to an integer (${join(flake.dir, 'pkgs', 'evalfail.nix')}:6:17)`);
      expect(result.diagnostics).toEqual([
        {
          uri: pathToFileURL(join(flake.dir, 'pkgs', 'evalfail.nix')).href,
          diagnostics: [
            expect.objectContaining({
              message: 'cannot add a string to an integer',
              range: { start: { line: 5, character: 16 }, end: { line: 5, character: 21 } },
              source: 'nix build',
            }),
          ],
        },
      ]);
    });

    it('puts an evaluation error of nix-build on the real file', async () => {
      const recorded = recorder(capabilities, legacy);
      const result = expectFailed(await runBuild({ cwd: legacy.uri, file: 'default.nix', attr: 'evalFail' }, recorded.deps));
      expect(result.kind).toBe('evaluation');
      expect(result.diagnostics.map((file) => [file.uri, file.diagnostics[0].range.start])).toEqual([
        [pathToFileURL(join(legacy.dir, 'pkgs', 'evalfail.nix')).href, { line: 5, character: 16 }],
      ]);
    });

    it('reports a missing attribute as an error without diagnostics', async () => {
      const recorded = recorder(capabilities, flake);
      const result = expectFailed(await runBuild({ cwd: flake.uri, installable: '.#doesNotExist' }, recorded.deps));
      expect(result.kind).toBe('evaluation');
      expect(result.message).toMatch(/does not provide attribute 'packages\.[^.]+\.doesNotExist'/);
      expect(result.diagnostics).toEqual([]);
    });

    it('puts a hash mismatch on the hash in the flake, and its quick fix makes the next build pass', async () => {
      const recorded = recorder(capabilities, flake);
      const fixedNix = join(flake.dir, 'pkgs', 'fixed.nix');
      const result = expectFailed(await runBuild({ cwd: flake.uri, installable: '.#fixed' }, recorded.deps));
      expect(result.kind).toBe('hash-mismatch');
      expect(result.message).toContain('got:       sha256-rc95GuKAPAwQ8Nq5xDDDmsWAv5XWqDSiSPTe3XLGlmU=');
      expect(result.diagnostics).toHaveLength(1);
      expect(result.diagnostics[0].uri).toBe(pathToFileURL(fixedNix).href);
      const [diagnostic] = result.diagnostics[0].diagnostics;
      const line = readFileSync(fixedNix, 'utf8').split('\n')[diagnostic.range.start.line];
      expect(line.slice(diagnostic.range.start.character, diagnostic.range.end.character)).toBe('"sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="');
      expect(result.codeActions).toHaveLength(1);

      applyEdit(result.codeActions[0]);
      expect(readFileSync(fixedNix, 'utf8')).toContain('hash = "sha256-rc95GuKAPAwQ8Nq5xDDDmsWAv5XWqDSiSPTe3XLGlmU=";');
      const again = await runBuild({ cwd: flake.uri, installable: '.#fixed' }, recorder(capabilities, flake).deps);
      expect(again).toMatchObject({ status: 'succeeded' });
      if (again.status === 'succeeded') expect(readFileSync(installation.storePrefix + again.outputs[0], 'utf8')).toBe('fixed content\n');
    });

    it('puts a hash mismatch of an empty hash on the "" in a default.nix tree, and the fix makes it build', async () => {
      const fixedNix = join(legacy.dir, 'pkgs', 'fixed.nix');
      const result = expectFailed(await runBuild({ cwd: legacy.uri, file: 'default.nix', attr: 'fixed' }, recorder(capabilities, legacy).deps));
      expect(result.kind).toBe('hash-mismatch');
      expect(result.diagnostics.map((file) => file.uri)).toEqual([pathToFileURL(fixedNix).href]);
      expect(result.diagnostics[0].diagnostics[0].range.start.line).toBe(5);
      applyEdit(result.codeActions[0]);
      expect(readFileSync(fixedNix, 'utf8')).toContain('hash = "sha256-YV6pDrcOducAR4tdvk7hS0Dxu9kcl5uSwu6GwDzVKec=";');
      expect(await runBuild({ cwd: legacy.uri, file: 'default.nix', attr: 'fixed' }, recorder(capabilities, legacy).deps)).toMatchObject({ status: 'succeeded' });
    });

    it('uses the editor text of an open document for the hash diagnostic', async () => {
      // The open copy has a blank line the disk copy lacks: the diagnostic must follow the editor.
      const workspace = fixtureWorkspace('flake', installation);
      try {
        const fixedNix = join(workspace.dir, 'pkgs', 'fixed.nix');
        const content = '\n' + readFileSync(fixedNix, 'utf8');
        const tree = parser.parse(content)!;
        const recorded = recorder(capabilities, workspace);
        recorded.deps.documentFor = (path) => (path === fixedNix ? { uri: 'untitled:open-fixed', content, tree } : undefined);
        const result = expectFailed(await runBuild({ cwd: workspace.uri, installable: '.#fixed' }, recorded.deps));
        tree.delete();
        expect(result.diagnostics.map((file) => [file.uri, file.diagnostics[0].range.start.line])).toEqual([['untitled:open-fixed', 6]]);
      } finally {
        workspace.remove();
      }
    });

    it('lists the packages of a flake for the current system', async () => {
      const result = await listBuildables({ cwd: flake.uri }, { capabilities, tools: { env: flake.env } });
      expect(result).toMatchObject({ ok: true, kind: 'flake', checked: true, system: expect.stringMatching(/-linux$/) });
      if (!result.ok) return;
      expect(result.buildables.map((buildable) => buildable.attribute)).toEqual(['app', 'broken', 'default', 'evalFail', 'fixed', 'liba', 'slow']);
      expect(result.buildables.find((buildable) => buildable.attribute === 'liba')).toEqual({
        attribute: 'liba',
        name: 'liba-1.0',
        description: undefined,
        verified: true,
        params: { cwd: flake.uri, installable: '.#liba' },
      });
    });

    it('lists the derivations of a default.nix, leaving out lib', async () => {
      const result = await listBuildables({ cwd: legacy.uri }, { capabilities, tools: { env: legacy.env } });
      expect(result).toMatchObject({ ok: true, kind: 'legacy', checked: true });
      if (!result.ok) return;
      expect(result.buildables.map((buildable) => [buildable.attribute, buildable.name])).toEqual([
        ['app', 'app-1.0'],
        ['evalFail', 'evalfail-1.0'],
        ['fixed', 'legacy-fixed-src'],
        ['liba', 'liba-1.0'],
      ]);
      expect(result.buildables[0].params).toEqual({ cwd: legacy.uri, file: 'default.nix', attr: 'app' });
    });

    it('lists by name what cannot be inspected when a default.nix needs <nixpkgs>', async () => {
      const workspace = fixtureWorkspace('legacy', installation, (dir) => {
        writeFileSync(
          join(dir, 'default.nix'),
          '{ pkgs ? import <nixpkgs> { } }:\n{\n  lib = { };\n  hello = pkgs.hello;\n  tool = pkgs.callPackage ./tool { };\n}\n',
        );
      });
      try {
        const env = { ...workspace.env, NIX_PATH: '' };
        const result = await listBuildables({ cwd: workspace.uri }, { capabilities, tools: { env } });
        expect(result).toEqual({
          ok: true,
          kind: 'legacy',
          checked: false,
          buildables: [
            { attribute: 'hello', verified: false, params: { cwd: workspace.uri, file: 'default.nix', attr: 'hello' } },
            { attribute: 'tool', verified: false, params: { cwd: workspace.uri, file: 'default.nix', attr: 'tool' } },
          ],
        });
      } finally {
        workspace.remove();
      }
    });
  });
});
