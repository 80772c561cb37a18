import { describe, expect, it } from 'vitest';
import { nurPackageMarkdown, nurRepoMarkdown } from '../../../server/src/features/docs/nurDoc';
import { renderDocBook, renderNixpkgsMarkdown } from '../../../server/src/features/docs/nixpkgsMarkdown';
import { optionDocumentation, optionMarkdown } from '../../../server/src/features/docs/optionDoc';
import { describePlatforms, packageDocumentation, packageMarkdown } from '../../../server/src/features/docs/packageDoc';
import { declarationUrl, packageSourceUrl } from '../../../server/src/features/docs/sourceLinks';
import { codeBlock, inlineCode } from '../../../server/src/features/docs/markdownText';
import type { PackageInfo } from '../../../server/src/knowledge/packageRecord';

const hello: PackageInfo = {
  path: ['hello'],
  name: 'hello-2.12.3',
  pname: 'hello',
  version: '2.12.3',
  description: 'Program that produces a familiar, friendly greeting',
  longDescription: 'GNU Hello prints *Hello, world!*',
  homepage: 'https://www.gnu.org/software/hello/manual/',
  license: [{ spdxId: 'GPL-3.0-or-later', fullName: 'GNU General Public License v3.0 or later', url: 'https://spdx.org/licenses/GPL-3.0-or-later.html', free: true }],
  maintainers: [{ name: 'Steffen Vogel', github: 'stv0g', email: 'post@example.org' }],
  platforms: { count: 38, kernels: ['darwin', 'freebsd', 'linux', 'netbsd', 'openbsd'], main: ['x86_64-linux', 'aarch64-darwin'], patterns: 0 },
  position: 'pkgs/by-name/he/hello/package.nix:57',
  mainProgram: 'hello',
};

describe('package documentation', () => {
  it('shows the package with a link to its source at the index revision', () => {
    const text = packageMarkdown(hello, { revision: 'abc1234def56' });
    expect(text.split('\n')[0]).toBe('**hello** `2.12.3`');
    expect(text).toContain('Program that produces a familiar, friendly greeting');
    expect(text).toContain('GNU Hello prints \\*Hello, world\\!\\*');
    expect(text).toContain('- **Homepage:** <https://www.gnu.org/software/hello/manual/>');
    expect(text).toContain('- **License:** [GPL-3.0-or-later \\(GNU General Public License v3.0 or later\\)](https://spdx.org/licenses/GPL-3.0-or-later.html)');
    expect(text).toContain('- **Maintainers:** [Steffen Vogel](https://github.com/stv0g)');
    expect(text).toContain('- **Main program:** `hello`');
    expect(text).toContain('- [Source](https://github.com/NixOS/nixpkgs/blob/abc1234def56/pkgs/by-name/he/hello/package.nix#L57)');
    expect(packageDocumentation(hello).kind).toBe('markdown');
    expect(packageMarkdown(hello, { brief: true })).not.toContain('GNU Hello prints');
  });

  it('lists a licence once however often the meta repeats it, as nginx does', () => {
    const bsd2 = { spdxId: 'BSD-2-Clause', fullName: 'BSD 2-clause "Simplified" License', url: 'https://spdx.org/licenses/BSD-2-Clause.html', free: true };
    const text = packageMarkdown({ path: ['nginx'], version: '1.30.3', license: [bsd2, { ...bsd2 }, { ...bsd2 }, { ...bsd2 }] });
    const line = text.split('\n').find((l) => l.includes('**License:**'))!;
    expect(line.match(/BSD-2-Clause/g)).toHaveLength(2); // the link text and its URL, once
  });

  it('leaves the version out of the title for completion, whose detail shows it', () => {
    expect(packageMarkdown(hello, { versionInTitle: false }).split('\n')[0]).toBe('**hello**');
    expect(nurPackageMarkdown({ ...hello, path: ['nur', 'repos', 'mic92', 'hello'] }, { versionInTitle: false }).split('\n')[0]).not.toContain('2.12.3');
  });

  it('flags broken, insecure and unfree packages', () => {
    const text = packageMarkdown({ path: ['x'], broken: true, insecure: true, knownVulnerabilities: ['CVE-1'], unfree: true, license: [{ fullName: 'Unfree', free: false }] });
    expect(text).toContain('⚠️ **Broken**');
    expect(text).toContain('⚠️ **Insecure**: CVE-1');
    expect(text).toContain('**Unfree** license');
    expect(text).toContain('Unfree, unfree');
  });

  it('summarises platforms', () => {
    expect(describePlatforms(hello.platforms!)).toBe('darwin, freebsd, linux, netbsd and 1 more (38 systems, including `x86_64-linux`, `aarch64-darwin`)');
    expect(describePlatforms({ count: 0, kernels: [], main: [], patterns: 0 })).toBe('none listed');
  });

  it('links to positions safely', () => {
    expect(packageSourceUrl('pkgs/a b/x.nix:3', undefined)).toBe('https://github.com/NixOS/nixpkgs/blob/master/pkgs/a%20b/x.nix#L3');
    expect(packageSourceUrl('/nix/store/' + 'a'.repeat(32) + '-source/pkgs/x.nix:9', 'nixos-unstable')).toBe(
      'https://github.com/NixOS/nixpkgs/blob/nixos-unstable/pkgs/x.nix#L9',
    );
    expect(packageSourceUrl('/home/me/x.nix:1', 'r')).toBeUndefined();
    expect(packageSourceUrl('pkgs/x.nix:1', 'bad/rev')).toBe('https://github.com/NixOS/nixpkgs/blob/master/pkgs/x.nix#L1');
  });
});

describe('option documentation', () => {
  it('renders type, description, default, example and declarations', () => {
    const text = optionMarkdown(
      {
        loc: ['services', 'nginx', 'virtualHosts', '<name>', 'root'],
        type: 'null or path',
        description: 'The path of the web root, see {option}`services.nginx.enable`.\n\n::: {.note}\nAbsolute paths only.\n:::',
        default: { kind: 'expression', text: 'null' },
        example: { kind: 'expression', text: '{\n  a = 1;\n}' },
        declarations: [{ name: 'nixos/modules/services/web-servers/nginx/vhost-options.nix' }],
      },
      { scope: 'nixos', revision: 'nixos-unstable' },
    );
    expect(text).toContain('**services.nginx.virtualHosts.\\<name\\>.root**');
    expect(text).toContain('*Type:* `null or path`');
    expect(text).toContain('see `services.nginx.enable`.');
    expect(text).toContain('> **Note**\n> Absolute paths only.');
    expect(text).toContain('**Default:** `null`');
    expect(text).toContain('**Example:**\n```nix\n{\n  a = 1;\n}\n```');
    expect(text).toContain(
      '**Declared in:** [nixos/modules/services/web-servers/nginx/vhost-options.nix](https://github.com/NixOS/nixpkgs/blob/nixos-unstable/nixos/modules/services/web-servers/nginx/vhost-options.nix)',
    );
  });

  it('quotes parts with dots and marks read-only options', () => {
    const text = optionDocumentation({ loc: ['boot', 'kernel', 'sysctl', 'net.ipv4.ip_forward'], readOnly: true, type: 'boolean' }, { scope: 'nixos' }).value;
    expect(text).toContain('**boot.kernel.sysctl."net.ipv4.ip\\_forward"**');
    expect(text).toContain('*read-only*');
  });

  it('links Home Manager declarations to Home Manager, and <nixpkgs/…> ones to nixpkgs', () => {
    expect(declarationUrl('modules/programs/git.nix', 'home-manager', 'x')).toBe('https://github.com/nix-community/home-manager/blob/master/modules/programs/git.nix');
    expect(declarationUrl('<nixpkgs/nixos/modules/config/nix.nix>', 'home-manager', 'x')).toBe(
      'https://github.com/NixOS/nixpkgs/blob/master/nixos/modules/config/nix.nix',
    );
    expect(declarationUrl('/etc/nixos/local.nix', 'nixos', 'x')).toBeUndefined();
  });

  it('renders DocBook from older option descriptions', () => {
    expect(
      renderDocBook(
        '<para>Set <option>system.stateVersion</option> as in <link xlink:href="https://nixos.org/manual">the manual</link>; see <citerefentry><refentrytitle>nix.conf</refentrytitle><manvolnum>5</manvolnum></citerefentry>.</para><itemizedlist><listitem><para>one &amp; two</para></listitem></itemizedlist><programlisting>x = &lt;y&gt;;</programlisting>',
      ),
    ).toBe('Set `system.stateVersion` as in [the manual](https://nixos.org/manual); see `nix.conf(5)`.\n\n- one & two\n\n```\nx = <y>;\n```');
  });

  it('renders nixpkgs markdown roles and anchors', () => {
    expect(renderNixpkgsMarkdown('Use {command}`nix build` and [](#opt-services.nginx.enable). {#anchor}')).toBe('Use `nix build` and `services.nginx.enable`.');
  });
});

describe('NUR documentation', () => {
  it('describes a repository and a NUR package', () => {
    const repo = nurRepoMarkdown({ name: 'mic92', url: 'https://github.com/Mic92/nur-packages', githubContact: 'Mic92', packageCount: 8 });
    expect(repo).toContain('**nur.repos.mic92**');
    expect(repo).toContain('- **Repository:** <https://github.com/Mic92/nur-packages>');
    expect(repo).toContain('- **Contact:** [@Mic92](https://github.com/Mic92)');
    expect(repo).toContain('- **Packages:** 8');
    const pkg = nurPackageMarkdown({
      path: ['nur', 'repos', 'mic92', 'hello-nur'],
      version: '1.0',
      position: 'https://github.com/nix-community/nur-combined/tree/main/repos/mic92/pkgs/hello-nur/default.nix#L6',
      nurRepo: 'mic92',
    });
    expect(pkg).toContain('[Source](https://github.com/nix-community/nur-combined/tree/main/repos/mic92/pkgs/hello-nur/default.nix#L6)');
    expect(pkg).toContain('From the NUR repository `mic92`');
  });
});

describe('markdown helpers', () => {
  it('keep backticks and fences inside code', () => {
    expect(inlineCode('a`b')).toBe('``a`b``');
    expect(codeBlock('```\nx')).toBe('````\n```\nx\n````');
  });
});
