import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentLinks } from '../../../server/src/features/local/documentLinks';
import { analyze } from '../analysis/nixSnippets';

let root: string;
let documentUri: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'nix-nur-links-'));
  mkdirSync(join(root, 'pkgs', 'hello'), { recursive: true });
  mkdirSync(join(root, 'empty'));
  writeFileSync(join(root, 'pkgs', 'hello', 'default.nix'), '{ }: { }');
  writeFileSync(join(root, 'foo.nix'), '{ }');
  writeFileSync(join(root, 'default.nix'), '{ }');
  writeFileSync(join(root, 'with space.nix'), '{ }');
  documentUri = pathToFileURL(join(root, 'default.nix')).href;
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The probe a server would pass: true for existing files only. */
function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** `[linked text, target]` pairs for `text`, targets relative to the test directory when local. */
async function links(text: string): Promise<[string, string][]> {
  const analysis = await analyze(text);
  return documentLinks(analysis, documentUri, isFile).map((link) => {
    const start = analysis.lines.offsetAt(link.range.start);
    const end = analysis.lines.offsetAt(link.range.end);
    const target = link.target!.startsWith('file:') ? link.target!.replace(pathToFileURL(root).href, '.') : link.target!;
    return [text.slice(start, end), target];
  });
}

describe('document links', () => {
  it('links relative paths to files', async () => {
    expect(await links('import ./foo.nix')).toEqual([['./foo.nix', './foo.nix']]);
    expect(await links('import ./with\\ space.nix')).toEqual([]);
  });

  it('links directories to their default.nix, as callPackage reads them', async () => {
    expect(await links('{ pkgs }: { hello = pkgs.callPackage ./pkgs/hello { }; }')).toEqual([['./pkgs/hello', './pkgs/hello/default.nix']]);
    expect(await links('import ./.')).toEqual([['./.', './default.nix']]);
  });

  it('leaves out paths that do not exist, directories without default.nix, and computed paths', async () => {
    expect(await links('import ./missing.nix')).toEqual([]);
    expect(await links('import ./empty')).toEqual([]);
    expect(await links('name: import ./pkgs/${name}')).toEqual([]);
    expect(await links('import <nixpkgs>')).toEqual([]);
  });

  it('resolves parent directories', async () => {
    const nested = pathToFileURL(join(root, 'pkgs', 'hello', 'default.nix')).href;
    const analysis = await analyze('import ../../foo.nix');
    const [link] = documentLinks(analysis, nested, isFile);
    expect(link?.target).toBe(pathToFileURL(join(root, 'foo.nix')).href);
  });

  it('links URLs in URI literals, strings and comments', async () => {
    expect(await links('{ src = https://example.org/x.tar.gz; }')).toEqual([['https://example.org/x.tar.gz', 'https://example.org/x.tar.gz']]);
    expect(await links('{ homepage = "https://example.org/a?b=1"; }')).toEqual([['https://example.org/a?b=1', 'https://example.org/a?b=1']]);
    expect(await links('# see https://nixos.org/manual.\n1')).toEqual([['https://nixos.org/manual', 'https://nixos.org/manual']]);
    expect(await links("{ d = ''\n  docs at http://example.com/x, thanks\n''; }")).toEqual([['http://example.com/x', 'http://example.com/x']]);
  });

  it('gives no file links for documents that are not files', async () => {
    const analysis = await analyze('import ./foo.nix');
    expect(documentLinks(analysis, 'untitled:Untitled-1', isFile)).toEqual([]);
  });
});
