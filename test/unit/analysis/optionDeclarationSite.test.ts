// Finding the binding that declares an option in a module's source, as options.json names it:
// the declaring file, sometimes the file of the enclosing option.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { optionDeclarationSite } from '../../../server/src/analysis/optionDeclarationSite';
import { buildSyntaxTree } from '../../../server/src/analysis/syntaxTree';
import { parseNix } from '../../support/parse';

const nginx = join(__dirname, '..', '..', 'fixtures', 'knowledge', 'option-sources', 'nixos', 'modules', 'services', 'web-servers', 'nginx');

/** The text of the attribute path found for `loc` in `text`, and the line it starts on. */
async function siteOf(text: string, loc: string[]): Promise<{ text: string; line: number } | undefined> {
  const tree = await parseNix(text);
  const site = optionDeclarationSite(buildSyntaxTree(tree, text), loc);
  tree.delete();
  return site && { text: text.slice(site.start, site.end), line: text.slice(0, site.start).split('\n').length };
}

function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`${needle} not in the text`);
  return text.slice(0, at).split('\n').length;
}

describe('optionDeclarationSite', () => {
  const module = readFileSync(join(nginx, 'default.nix'), 'utf8');
  const vhost = readFileSync(join(nginx, 'vhost-options.nix'), 'utf8');

  it('finds options declared in nested sets, with plain and selected mk…Option calls', async () => {
    expect(await siteOf(module, ['services', 'nginx', 'enable'])).toEqual({ text: 'enable', line: lineOf(module, 'enable = mkEnableOption') });
    expect(await siteOf(module, ['services', 'nginx', 'package'])).toEqual({ text: 'package', line: lineOf(module, 'package = lib.mkPackageOption') });
    expect(await siteOf(module, ['services', 'nginx', 'virtualHosts'])).toEqual({ text: 'virtualHosts', line: lineOf(module, 'virtualHosts = mkOption') });
  });

  it('finds a submodule option in the submodule file', async () => {
    expect(await siteOf(vhost, ['services', 'nginx', 'virtualHosts', '<name>', 'root'])).toEqual({ text: 'root', line: lineOf(vhost, 'root = mkOption') });
    expect(await siteOf(vhost, ['services', 'nginx', 'virtualHosts', '<name>', 'default'])).toEqual({ text: 'default', line: lineOf(vhost, 'default = mkOption') });
  });

  it('falls back to the enclosing option when the file names only that', async () => {
    expect(await siteOf(module, ['services', 'nginx', 'virtualHosts', '<name>', 'forceSSL'])).toEqual({ text: 'virtualHosts', line: lineOf(module, 'virtualHosts = mkOption') });
  });

  it('prefers the declaration over a setting of the same path', async () => {
    const text = '{ lib, ... }: {\n  config.services.demo.enable = true;\n  options.services.demo.enable = lib.mkEnableOption "demo";\n}\n';
    expect(await siteOf(text, ['services', 'demo', 'enable'])).toEqual({ text: 'options.services.demo.enable', line: 3 });
  });

  it('takes a setting that spells the whole path when nothing declares it', async () => {
    expect(await siteOf(module, ['services', 'nginx', 'virtualHosts', 'localhost', 'root'])).toMatchObject({ line: lineOf(module, 'services.nginx.virtualHosts.localhost.root') });
  });

  it('finds nothing for a name that merely appears, or for an unrelated option', async () => {
    expect(await siteOf(module, ['boot', 'kernel', 'sysctl'])).toBeUndefined();
    expect(await siteOf('{ a = { enable = 1; }; }', ['services', 'x', 'enable'])).toBeUndefined();
  });
});
