import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { describe, expect, it } from 'vitest';
import { nurDiagnostics, NurDiagnosticCode, PLACEHOLDER_SHA256 } from '../../../server/src/features/nur/nurDiagnostics';
import { nurQuickFixes } from '../../../server/src/features/nur/nurQuickFixes';
import { nurBuildLenses } from '../../../server/src/features/nur/nurCodeLenses';
import { parseNix } from '../../support/parse';

const root = join(__dirname, '..', '..', 'fixtures', 'nur', 'rules-repo');

async function diagnose(relativePath: string, text?: string) {
  const path = join(root, relativePath);
  const source = text ?? readFileSync(path, 'utf8');
  const tree = await parseNix(source);
  try {
    return { source, diagnostics: nurDiagnostics(tree, { path, root }) };
  } finally {
    tree.delete();
  }
}

/** `code @ line:column` (1-based, like an editor shows them) of each diagnostic. */
function summary(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.code} @ ${d.range.start.line + 1}:${d.range.start.character + 1}`);
}

describe('NUR rules on hand-written packages', () => {
  it('is silent about a package that follows them', async () => {
    const { diagnostics } = await diagnose('pkgs/good/default.nix');
    expect(diagnostics).toEqual([]);
  });

  it('flags a package that imports <nixpkgs> itself', async () => {
    const { diagnostics } = await diagnose('pkgs/imports-nixpkgs/default.nix');
    expect(summary(diagnostics)).toEqual([`${NurDiagnosticCode.importsNixpkgs} @ 3:6`]);
    expect(diagnostics[0].severity).toBe(DiagnosticSeverity.Error);
    expect(diagnostics[0].message).toMatch(/function argument/);
  });

  it('allows <nixpkgs> as the default of default.nix, outside pkgs/', async () => {
    const { diagnostics } = await diagnose('default.nix');
    expect(diagnostics.filter((d) => d.code === NurDiagnosticCode.importsNixpkgs)).toEqual([]);
  });

  it('flags callPackage and import of paths that do not exist', async () => {
    const top = await diagnose('default.nix');
    expect(summary(top.diagnostics)).toEqual([`${NurDiagnosticCode.missingPath} @ 13:32`]);
    expect(top.diagnostics[0].message).toBe('./pkgs/not-there does not exist.');

    const { diagnostics } = await diagnose('pkgs/missing-path/default.nix');
    expect(diagnostics.map((d) => d.message)).toEqual(['./absent.nix does not exist.', './helpers is a directory without a default.nix.']);
    expect(summary(diagnostics)).toEqual([`${NurDiagnosticCode.missingPath} @ 5:19`, `${NurDiagnosticCode.missingPath} @ 6:27`]);
  });

  it('flags builtin fetchers that are not pinned, not pinned ones or shadowed names', async () => {
    const { diagnostics } = await diagnose('pkgs/unpinned/default.nix');
    expect(summary(diagnostics)).toEqual([
      `${NurDiagnosticCode.unpinnedFetch} @ 4:17`,
      `${NurDiagnosticCode.unpinnedFetch} @ 5:13`,
      `${NurDiagnosticCode.unpinnedFetch} @ 6:13`,
      `${NurDiagnosticCode.unpinnedFetch} @ 7:19`,
    ]);
    expect(diagnostics[0].message).toMatch(/builtins.fetchTarball without a sha256/);
    expect(diagnostics[1].message).toMatch(/builtins.fetchGit without a rev/);
  });

  it('hints at missing meta fields, once for a package without meta', async () => {
    const { diagnostics } = await diagnose('pkgs/no-meta/default.nix');
    expect(summary(diagnostics)).toEqual([
      `${NurDiagnosticCode.missingMeta} @ 4:10`,
      `${NurDiagnosticCode.missingLicense} @ 15:5`,
      `${NurDiagnosticCode.missingHomepage} @ 15:5`,
    ]);
    expect(diagnostics.every((d) => d.severity === DiagnosticSeverity.Hint)).toBe(true);
  });

  it('uses the injected view of the file system', async () => {
    const path = join(root, 'pkgs', 'x', 'default.nix');
    const tree = await parseNix('{ callPackage }: { a = callPackage ./a { }; b = import ./b.nix; }');
    try {
      const seen: string[] = [];
      const diagnostics = nurDiagnostics(tree, {
        path,
        root,
        pathKind: (p) => {
          seen.push(p);
          return p.endsWith('/a') ? 'directory' : p.endsWith('/a/default.nix') || p.endsWith('/b.nix') ? 'file' : undefined;
        },
      });
      expect(diagnostics).toEqual([]);
      expect(seen).toEqual([join(root, 'pkgs', 'x', 'a'), join(root, 'pkgs', 'x', 'a', 'default.nix'), join(root, 'pkgs', 'x', 'b.nix')]);
    } finally {
      tree.delete();
    }
  });
});

describe('quick fixes for unpinned fetches', () => {
  it('turns a URL argument into a set with a placeholder hash, and adds one to a set', async () => {
    const text = [
      '{ }:',
      '{',
      '  a = builtins.fetchTarball "https://example.org/a.tar.gz";',
      '  b = builtins.fetchurl { url = "https://example.org/b"; };',
      '  c = builtins.fetchGit { url = "https://example.org/c.git"; };',
      '}',
      '',
    ].join('\n');
    const uri = 'file:///repo/pkgs/x/default.nix';
    const { diagnostics } = await diagnose('pkgs/x/default.nix', text);
    expect(diagnostics).toHaveLength(3);
    const actions = nurQuickFixes(uri, diagnostics);
    expect(actions.map((action) => action.title)).toEqual([
      'Add a placeholder sha256 (the next evaluation prints the real one)',
      'Add a placeholder sha256 (the next evaluation prints the real one)',
    ]);

    let document = TextDocument.create(uri, 'nix', 1, text);
    for (const action of actions.reverse()) document = TextDocument.create(uri, 'nix', 1, TextDocument.applyEdits(document, action.edit!.changes![uri]));
    const fixed = document.getText();
    expect(fixed).toContain(`a = builtins.fetchTarball { url = "https://example.org/a.tar.gz"; sha256 = "${PLACEHOLDER_SHA256}"; };`);
    expect(fixed).toContain(`b = builtins.fetchurl { url = "https://example.org/b"; sha256 = "${PLACEHOLDER_SHA256}"; };`);
    const again = await diagnose('pkgs/x/default.nix', fixed);
    expect(summary(again.diagnostics)).toEqual([`${NurDiagnosticCode.unpinnedFetch} @ 5:7`]);
  });

  it('ignores diagnostics from other sources or with data that lost its shape', () => {
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
    expect(nurQuickFixes('file:///x', [{ range, message: 'm', source: 'other', data: { fix: { title: 't', edits: [] } } }])).toEqual([]);
    expect(nurQuickFixes('file:///x', [{ range, message: 'm', source: 'nur', data: { fix: { title: 1 } } }])).toEqual([]);
  });
});

describe('build lenses of a NUR default.nix', () => {
  it('puts one on each callPackage binding that is a package', async () => {
    const text = readFileSync(join(root, 'default.nix'), 'utf8');
    const tree = await parseNix(text);
    try {
      const lenses = nurBuildLenses(tree, { path: join(root, 'default.nix'), root });
      expect(lenses.map((lens) => `${lens.attr} @ ${lens.range.start.line + 1}`)).toEqual([
        'good @ 9',
        'imports-nixpkgs @ 10',
        'missing-path @ 11',
        'no-meta @ 12',
        'not-there @ 13',
        'unpinned @ 14',
      ]);
      expect(lenses[0]).toMatchObject({ title: 'Build', file: 'default.nix', attr: 'good' });
      expect(nurBuildLenses(tree, { path: join(root, 'pkgs', 'good', 'default.nix'), root })).toEqual([]);
    } finally {
      tree.delete();
    }
  });
});
