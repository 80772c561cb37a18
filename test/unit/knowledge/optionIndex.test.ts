import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OptionIndex } from '../../../server/src/knowledge/optionIndex';
import { splitOptionName } from '../../../server/src/knowledge/optionRecord';
import { buildFromBytes, fixture, removeTemporaryDirectories } from './testSetup';

afterAll(removeTemporaryDirectories);

let nixos: OptionIndex;
let homeManager: OptionIndex;

beforeAll(async () => {
  nixos = new OptionIndex((await buildFromBytes('options', readFileSync(fixture('options.json')))).file);
  homeManager = new OptionIndex((await buildFromBytes('options', readFileSync(fixture('home-manager-options.json')))).file);
});

describe('option children', () => {
  it('lists the top level and nested sets', () => {
    expect(nixos.children([]).items.map((i) => `${i.name}:${i.kind}`)).toEqual(['boot:set', 'services:set', 'system:set']);
    expect(nixos.children(['services', 'nginx']).items).toEqual([
      { name: 'enable', kind: 'option' },
      { name: 'virtualHosts', kind: 'option', hasChildren: true },
    ]);
  });

  it('lets <name> stand for the attribute name the user wrote', () => {
    const names = (path: string[]) => nixos.children(path).items.map((i) => i.name);
    expect(names(['services', 'nginx', 'virtualHosts', 'example.org'])).toEqual(['default', 'locations', 'root']);
    expect(names(['services', 'nginx', 'virtualHosts', 'example.org', 'locations', '/api'])).toEqual(['proxyPass']);
    // The placeholder itself shows up among the children, marked as such.
    expect(nixos.children(['services', 'nginx', 'virtualHosts']).items).toEqual([
      { name: '<name>', kind: 'set', placeholder: true },
      { name: 'localhost', kind: 'set' },
    ]);
  });

  it("gives each option's type when asked, as lookupOption has it, also through placeholders", () => {
    const typed = (path: string[]) => nixos.children(path, { types: true }).items.map((i) => `${i.name}:${i.type ?? '-'}`);
    const looked = (path: string[]) => nixos.children(path).items.map((i) => `${i.name}:${nixos.lookupOption([...path, i.name])?.type ?? '-'}`);
    for (const path of [['services', 'nginx'], ['services', 'nginx', 'virtualHosts', 'example.org'], ['services', 'nginx', 'virtualHosts', 'localhost'], []]) {
      expect(typed(path), path.join('.')).toEqual(looked(path));
    }
    expect(typed(['services', 'nginx'])).toEqual(['enable:boolean', 'virtualHosts:attribute set of (submodule)']);
    expect(nixos.children(['services', 'nginx']).items[0]).not.toHaveProperty('type');
    expect(nixos.optionEntry(['services', 'nginx', 'virtualHosts', 'a', 'root'])).toBeGreaterThanOrEqual(0);
    expect(nixos.optionEntry(['services', 'nginx'])).toBe(-1);
  });

  it('merges a literal name declared next to the placeholder with the placeholder', () => {
    expect(nixos.children(['services', 'nginx', 'virtualHosts', 'localhost']).items.map((i) => i.name)).toEqual(['default', 'locations', 'root']);
  });

  it('keeps quoted parts whole, as the options loc does', () => {
    expect(splitOptionName('boot.kernel.sysctl."net.ipv4.ip_forward"')).toEqual(['boot', 'kernel', 'sysctl', 'net.ipv4.ip_forward']);
    expect(nixos.children(['boot', 'kernel', 'sysctl']).items).toEqual([{ name: 'net.ipv4.ip_forward', kind: 'option' }]);
    expect(nixos.lookupOption(['boot', 'kernel', 'sysctl', 'net.ipv4.ip_forward'])?.type).toBe('null or boolean');
    expect(nixos.lookupOption(['boot', 'kernel', 'sysctl', 'net', 'ipv4', 'ip_forward'])).toBeUndefined();
  });

  it("matches Home Manager's * (list elements) like any name", () => {
    expect(homeManager.children(['programs', 'git', 'includes', '*']).items.map((i) => i.name)).toEqual(['condition', 'path']);
    expect(homeManager.children(['programs', 'git', 'includes', '0']).items.map((i) => i.name)).toEqual(['condition', 'path']);
    expect(homeManager.lookupOption(['accounts', 'email', 'accounts', 'work', 'address'])?.loc).toEqual(['accounts', 'email', 'accounts', '<name>', 'address']);
    expect(homeManager.children(['targets', 'darwin', 'defaults']).items.map((i) => i.name)).toEqual(['com.apple.Safari']);
  });

  it('filters by prefix and caps the list', () => {
    expect(nixos.children(['services', 'nginx', 'virtualHosts', 'x'], { prefix: 'r' }).items.map((i) => i.name)).toEqual(['root']);
    expect(nixos.children(['services', 'nginx', 'virtualHosts', 'x'], { limit: 1 })).toEqual({ items: [{ name: 'default', kind: 'option' }], incomplete: true });
  });
});

describe('option lookup', () => {
  it('finds an option through placeholders, preferring a literal declaration', () => {
    const root = nixos.lookupOption(['services', 'nginx', 'virtualHosts', 'example.org', 'root'])!;
    expect(root.loc).toEqual(['services', 'nginx', 'virtualHosts', '<name>', 'root']);
    expect(root).toMatchObject({ type: 'null or path', default: { kind: 'expression', text: 'null' }, example: { kind: 'expression', text: '"/data/webserver/docs"' } });
    expect(root.declarations).toEqual([{ name: 'nixos/modules/services/web-servers/nginx/vhost-options.nix' }]);
    expect(nixos.lookupOption(['services', 'nginx', 'virtualHosts', 'localhost', 'root'])?.description).toBe('A literal host declared next to the placeholder.');
  });

  it('normalises old shapes: DocBook descriptions and plain JSON defaults', () => {
    const stateVersion = nixos.lookupOption(['system', 'stateVersion'])!;
    expect(stateVersion.descriptionFormat).toBe('docbook');
    expect(stateVersion.default).toEqual({ kind: 'expression', text: '"24.05"' });
    expect(nixos.lookupOption(['system', 'build', 'toplevel'])?.readOnly).toBe(true);
    expect(homeManager.lookupOption(['programs', 'git', 'includes', '*', 'condition'])?.default).toEqual({ kind: 'markdown', text: '`null`, include unconditionally' });
  });

  it('answers undefined for prefixes and unknown paths', () => {
    expect(nixos.lookupOption(['services', 'nginx'])).toBeUndefined();
    expect(nixos.lookupOption(['services', 'nginx', 'enabled'])).toBeUndefined();
    expect(nixos.lookupOption([])).toBeUndefined();
  });
});

describe('option classification', () => {
  it('tells options, prefixes, values inside options and unknown paths apart', () => {
    expect(nixos.classify(['services', 'nginx', 'enable'])).toEqual({ kind: 'option', option: ['services', 'nginx', 'enable'] });
    expect(nixos.classify(['services', 'nginx'])).toEqual({ kind: 'prefix' });
    expect(nixos.classify(['services', 'nginx', 'virtualHosts', 'a.example'])).toEqual({ kind: 'prefix' });
    expect(nixos.classify(['boot', 'kernel', 'sysctl', 'vm.swappiness'])).toEqual({ kind: 'inside-option', option: ['boot', 'kernel', 'sysctl'] });
    expect(nixos.classify(['services', 'nginx', 'enabled'])).toEqual({ kind: 'unknown' });
    expect(nixos.classify(['servics'])).toEqual({ kind: 'unknown' });
  });
});

describe('answers kept between questions', () => {
  it('are the same when asked again, and what a caller adds to one never reaches the next', () => {
    const path = ['services', 'nginx', 'virtualHosts', 'example.org', 'root'];
    const first = nixos.lookupOption(path)!;
    expect(first.loc).toEqual(['services', 'nginx', 'virtualHosts', '<name>', 'root']);
    (first as { configurations?: string[] }).configurations = ['box'];
    first.loc.push('changed');
    const again = nixos.lookupOption(path)!;
    expect(again).not.toHaveProperty('configurations');
    expect(again.loc).toEqual(['services', 'nginx', 'virtualHosts', '<name>', 'root']);
    expect(nixos.classify(path)).toEqual(nixos.classify([...path]));
    expect(nixos.classify(['services', 'nginx', 'nope'])).toEqual({ kind: 'unknown' });
    const listed = nixos.children(['services', 'nginx'], { types: true });
    listed.items[0]!.kind = 'set';
    listed.items.pop();
    expect(nixos.children(['services', 'nginx'], { types: true })).toEqual({
      items: [
        { name: 'enable', kind: 'option', type: 'boolean' },
        { name: 'virtualHosts', kind: 'option', hasChildren: true, type: expect.any(String) },
      ],
      incomplete: false,
    });
    expect(nixos.children(['services', 'nginx'], { prefix: 'v' }).items.map((i) => i.name)).toEqual(['virtualHosts']);
  });
});
