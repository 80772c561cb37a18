import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range } from 'vscode-languageserver-types';
import { bestHashSites, findHashSites, staticString, type HashMismatchFacts } from '../../../server/src/features/build/hashSite';
import { hashFixAction, hashFixActions, hashMismatchDiagnostic } from '../../../server/src/features/build/hashFix';
import { parseNix } from './recordings';

const ZERO = 'sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
const GOT = 'sha256-rc95GuKAPAwQ8Nq5xDDDmsWAv5XWqDSiSPTe3XLGlmU=';
// The same hash as GOT in Nix's base32 (`nix-hash --type sha256 --flat --base32`), and another
// hash as "specified" in SRI and base32 (as Nix 2.8 and 2.26 print it for 52 ones).
const GOT_BASE32 = '0rcnqrrdvppl92i39a6njnzq1icsqcqc9ffsy080qg40w8d7kkxd';
const OLD_SRI = 'sha256-IYQQQgghhBBCCCGEEEIIIYQQQgghhBBCCCGEEEIIIYQ=';
const OLD_BASE32 = '1111111111111111111111111111111111111111111111111111';

function textAt(text: string, range: Range): string {
  const doc = TextDocument.create('file:///x.nix', 'nix', 1, text);
  return doc.getText(range);
}

function applyEdit(text: string, range: Range, newText: string): string {
  const doc = TextDocument.create('file:///x.nix', 'nix', 1, text);
  return TextDocument.applyEdits(doc, [{ range, newText }]);
}

async function sites(text: string, facts: HashMismatchFacts) {
  const tree = await parseNix(text);
  try {
    return findHashSites(tree.rootNode, facts);
  } finally {
    tree.delete();
  }
}

describe('findHashSites', () => {
  it('finds lib.fakeHash in a fetcher and writes the hash Nix got as SRI', async () => {
    const text = `{ lib, stdenv, fetchurl }:
stdenv.mkDerivation rec {
  pname = "hello";
  version = "2.12";
  src = fetchurl {
    url = "mirror://gnu/hello/\${pname}-\${version}.tar.gz";
    hash = lib.fakeHash;
  };
}
`;
    const found = await sites(text, { specified: ZERO, got: GOT, drvName: 'hello-2.12.tar.gz' });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ kind: 'placeholder', attribute: 'hash', currentText: 'lib.fakeHash', newText: `"${GOT}"` });
    expect(textAt(text, found[0].range)).toBe('lib.fakeHash');
    expect(applyEdit(text, found[0].range, found[0].newText)).toContain(`hash = "${GOT}";`);
    // The url's basename (fetchurl's default name) is the evidence.
    expect(found[0].score).toBe(10 + 40);
  });

  it('tells two placeholders apart by the derivation name around them', async () => {
    const text = `{ fetchurl, fetchFromGitHub, lib }:
{
  alpha = fetchurl { name = "alpha-src"; url = "https://example.org/a.tar.gz"; sha256 = lib.fakeSha256; };
  beta = fetchurl { name = "beta-src"; url = "https://example.org/b.tar.gz"; sha256 = lib.fakeSha256; };
}
`;
    const found = await sites(text, { specified: ZERO, got: GOT, drvName: 'beta-src' });
    expect(found).toHaveLength(2);
    const best = bestHashSites(found);
    expect(best).toHaveLength(1);
    expect(best[0].range.start.line).toBe(3);
    expect(applyEdit(text, best[0].range, best[0].newText)).toContain(`url = "https://example.org/b.tar.gz"; sha256 = "${GOT}"; };`);
  });

  it('uses pname and version, also through finalAttrs', async () => {
    const text = `{ stdenv, fetchzip, lib }:
{
  one = stdenv.mkDerivation (finalAttrs: {
    pname = "one";
    version = "1.0";
    src = fetchzip { url = "https://example.org/one-\${finalAttrs.version}.zip"; hash = ""; };
  });
  two = stdenv.mkDerivation {
    pname = "two";
    version = "2.0";
    src = fetchzip { url = "https://example.org/two.zip"; hash = ""; };
  };
}
`;
    const found = await sites(text, { specified: ZERO, got: GOT, drvName: 'one-1.0.zip' });
    const best = bestHashSites(found);
    expect(best).toHaveLength(1);
    expect(best[0]).toMatchObject({ kind: 'empty', currentText: '""' });
    expect(best[0].range.start.line).toBe(5);
  });

  it('prefers the placeholder whose enclosing binding has the derivation name', async () => {
    const text = `{ mk }:
{
  fixed-src = mk.fixedOutput { content = "a"; hash = ""; };
  other-src = mk.fixedOutput { content = "b"; hash = ""; };
}
`;
    const best = bestHashSites(await sites(text, { specified: ZERO, got: GOT, drvName: 'other-src' }));
    expect(best).toHaveLength(1);
    expect(best[0].range.start.line).toBe(3);
  });

  it('returns every placeholder with equal scores when nothing tells them apart', async () => {
    const text = `{ lib, fetchFromGitHub }:
{
  a = fetchFromGitHub { owner = "o"; repo = "a"; rev = "v1"; hash = lib.fakeHash; };
  b = fetchFromGitHub { owner = "o"; repo = "b"; rev = "v1"; hash = lib.fakeHash; };
}
`;
    expect(bestHashSites(await sites(text, { specified: ZERO, got: GOT, drvName: 'source' }))).toHaveLength(2);
  });

  it('finds fakeSha256 brought into scope with `with lib;`', async () => {
    const text = `{ lib, fetchurl }:
with lib;
fetchurl { url = "https://example.org/x.tar.gz"; sha256 = fakeSha256; }
`;
    const found = await sites(text, { specified: ZERO, got: GOT, drvName: 'x.tar.gz' });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ kind: 'placeholder', currentText: 'fakeSha256', attribute: 'sha256' });
  });

  it('finds a real hash written in base32 and keeps base32', async () => {
    const text = `{ fetchurl }:
fetchurl {
  url = "https://example.org/x.tar.gz";
  sha256 = "${OLD_BASE32}";
}
`;
    const found = await sites(text, { specified: OLD_SRI, got: GOT, drvName: 'x.tar.gz' });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ kind: 'literal', currentText: `"${OLD_BASE32}"`, newText: `"${GOT_BASE32}"` });
    expect(found[0].score).toBe(100 + 40);
  });

  it('finds a real SRI hash even without any name evidence, and keeps the sha256: prefix form', async () => {
    const sri = await sites(`{ outputHash = "${OLD_SRI}"; }`, { specified: OLD_SRI, got: GOT, drvName: 'elsewhere' });
    expect(sri).toMatchObject([{ kind: 'literal', newText: `"${GOT}"`, score: 100 }]);
    const prefixed = await sites(`{ outputHash = "sha256:${OLD_BASE32}"; }`, { specified: OLD_SRI, got: GOT, drvName: 'x' });
    expect(prefixed).toMatchObject([{ kind: 'literal', newText: `"sha256:${GOT_BASE32}"` }]);
  });

  it('ignores placeholders when Nix specified a real hash, and empty strings that are not hashes', async () => {
    expect(await sites(`{ hash = lib.fakeHash; description = ""; }`, { specified: OLD_SRI, got: GOT, drvName: 'x' })).toEqual([]);
    expect(await sites(`{ description = ""; }`, { specified: ZERO, got: GOT, drvName: 'x' })).toEqual([]);
  });

  it('survives a file with syntax errors', async () => {
    const found = await sites(`{ src = fetchurl { url = "https://e/x.tar.gz"; hash = lib.fakeHash; ; broken = ; }`, { specified: ZERO, got: GOT, drvName: 'x.tar.gz' });
    expect(found.length).toBeGreaterThanOrEqual(1);
    expect(found[0].currentText).toBe('lib.fakeHash');
  });
});

describe('staticString', () => {
  it('resolves interpolations of nearby plain strings only', async () => {
    const text = `rec { pname = "p"; version = "1"; a = "\${pname}-\${version}"; b = "\${pname}-\${toString 1}"; }`;
    const tree = await parseNix(text);
    const set = tree.rootNode.namedChild(0)!;
    const bindings = set.namedChild(0)!.namedChildren;
    expect(staticString(bindings[2]!.childForFieldName('expression')!, set)).toBe('p-1');
    expect(staticString(bindings[3]!.childForFieldName('expression')!, set)).toBeUndefined();
    tree.delete();
  });
});

describe('the hash quick fix', () => {
  const mismatch = { drvPath: '/nix/store/0123456789abcdfghijklmnpqrsvwxyz-x.tar.gz.drv', drvName: 'x.tar.gz', specified: ZERO, got: GOT };
  const text = `{ src = fetchurl { url = "https://e/x.tar.gz"; hash = lib.fakeHash; }; }`;

  it('is carried by the diagnostic and writes the hash', async () => {
    const [site] = await sites(text, mismatch);
    const diagnostic = hashMismatchDiagnostic(site, mismatch, 1);
    expect(diagnostic).toMatchObject({ code: 'hash-mismatch', source: 'nix build', severity: 1 });
    expect(diagnostic.message).toContain(`Nix got: ${GOT}`);
    expect(diagnostic.message).toContain("'x.tar.gz'");
    const action = hashFixAction('file:///w/default.nix', diagnostic, (range) => textAt(text, range));
    expect(action?.kind).toBe('quickfix');
    const edit = action!.edit!.changes!['file:///w/default.nix'][0];
    expect(applyEdit(text, edit.range, edit.newText)).toBe(`{ src = fetchurl { url = "https://e/x.tar.gz"; hash = "${GOT}"; }; }`);
  });

  it('is withdrawn once the text under the diagnostic has changed', async () => {
    const [site] = await sites(text, mismatch);
    const diagnostic = hashMismatchDiagnostic(site, mismatch, 1);
    const edited = text.replace('lib.fakeHash', 'lib.fakeSha256');
    expect(hashFixActions('file:///w/default.nix', [diagnostic], (range) => textAt(edited, range))).toEqual([]);
    expect(hashFixActions('file:///w/default.nix', [{ ...diagnostic, code: 'other' }])).toEqual([]);
  });

  it('mentions ambiguity when several placeholders could be meant', async () => {
    const [site] = await sites(text, mismatch);
    expect(hashMismatchDiagnostic(site, mismatch, 2).message).toContain('2 placeholder hashes');
  });
});
