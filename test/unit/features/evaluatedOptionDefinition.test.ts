// Go to definition on an option of an evaluated configuration: the declaration's path as the
// evaluating Nix named it (a module's directory is its default.nix), the declaring binding found
// in that file, read from disk or through Nix when the store is out of the server's sight.
import { describe, expect, it } from 'vitest';
import type { CursorContext } from '../../../server/src/analysis/context';
import { buildSyntaxTree } from '../../../server/src/analysis/syntaxTree';
import type { KnowledgeQueries } from '../../../server/src/features/knowledgeQueries';
import { declarationLines, evaluatedDeclarationFiles, indexDefinition, type SourceFiles } from '../../../server/src/features/indexDefinition';
import { optionMarkdown } from '../../../server/src/features/docs/optionDoc';
import type { OptionInfo } from '../../../server/src/knowledge/optionRecord';
import { toOptionRecord } from '../../../server/src/knowledge/optionRecord';
import { StoreFiles } from '../../../server/src/nix/storeFiles';
import { nixParser } from '../../support/parse';
import { parseNix } from '../../../server/src/syntax/grammarText';

const SOPS = '/nix/store/kg1vl7fibahfgq8zrxs8l076xakmmjim-source/modules/sops';
const SOPS_MODULE = `{ config, lib, ... }:
let
  secretType = lib.types.submodule ({ name, ... }: {
    options = {
      name = lib.mkOption { type = lib.types.str; default = name; };
      owner = lib.mkOption {
        type = with lib.types; nullOr str;
        default = null;
      };
    };
  });
in
{
  options.sops.secrets = lib.mkOption { type = lib.types.attrsOf secretType; default = { }; };
}
`;

async function files(texts: Record<string, string>): Promise<SourceFiles> {
  const parser = await nixParser();
  return {
    read: (path) => texts[path],
    parse: (text) => {
      const tree = parseNix(parser, text);
      if (!tree) return undefined;
      try {
        return buildSyntaxTree(tree, text);
      } finally {
        tree.delete();
      }
    },
  };
}

function knowing(option: OptionInfo): KnowledgeQueries {
  return { lookupOption: () => option, nixpkgsSource: () => undefined, nixpkgsRevision: () => undefined } as unknown as KnowledgeQueries;
}

const owner = (configurations?: string[]): OptionInfo => ({
  loc: ['sops', 'secrets', '<name>', 'owner'],
  ...toOptionRecord({ declarations: [SOPS], type: 'null or string' }),
  ...(configurations ? { configurations } : {}),
});

const context = { kind: 'option', tree: 'nixos', hoverPath: ['sops', 'secrets', 'foo', 'owner'], word: 'owner' } as unknown as CursorContext;

describe('go to definition on an evaluated option', () => {
  it("keeps the declaration's absolute path beside the name shown", () => {
    expect(owner().declarations).toEqual([{ name: 'modules/sops', path: SOPS }]);
    expect(toOptionRecord({ declarations: ['nixos/modules/services/networking/ssh/sshd.nix'] }).declarations).toEqual([{ name: 'nixos/modules/services/networking/ssh/sshd.nix' }]);
  });

  it("lands on the declaring binding in the module's default.nix", async () => {
    const sources = await files({ [`${SOPS}/default.nix`]: SOPS_MODULE });
    const option = owner(['nixosConfigurations.box']);
    expect(evaluatedDeclarationFiles(context, knowing(option))).toEqual([`${SOPS}/default.nix`, SOPS]);
    const [location, ...more] = indexDefinition(context, knowing(option), sources);
    expect(more).toEqual([]);
    expect(location!.uri).toBe(`file://${SOPS}/default.nix`);
    const line = SOPS_MODULE.split('\n').findIndex((l) => l.includes('owner = lib.mkOption'));
    expect(location!.range.start).toEqual({ line, character: 6 });
    expect(location!.range.end).toEqual({ line, character: 11 });
  });

  it('takes a declaration without the .nix suffix for a file when it is one', async () => {
    const option = { ...owner(['nixosConfigurations.box']), declarations: [{ name: 'modules/sops', path: `${SOPS}` }] };
    const [location] = indexDefinition(context, knowing(option), await files({ [SOPS]: SOPS_MODULE }));
    expect(location!.uri).toBe(`file://${SOPS}`);
    expect(location!.range.start.line).toBe(SOPS_MODULE.split('\n').findIndex((l) => l.includes('owner = lib.mkOption')));
  });

  it('goes to the start of the file when it cannot be read, and ignores store paths of options not evaluated here', async () => {
    const [location] = indexDefinition(context, knowing(owner(['nixosConfigurations.box'])), await files({}));
    expect(location).toEqual({ uri: `file://${SOPS}/default.nix`, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
    expect(evaluatedDeclarationFiles(context, knowing(owner()))).toEqual([]);
  });

  it("links hover's declarations to the files, at the declaring line when it can be read", async () => {
    const option = owner(['nixosConfigurations.box']);
    expect(optionMarkdown(option, { scope: 'nixos' })).toContain(`**Declared in:** [modules/sops](file://${SOPS}/default.nix)`);
    let reads = 0;
    const sources = await files({ [`${SOPS}/default.nix`]: SOPS_MODULE });
    const line = declarationLines({ ...sources, read: (path) => (reads++, sources.read(path)) });
    const declaring = SOPS_MODULE.split('\n').findIndex((l) => l.includes('owner = lib.mkOption')) + 1;
    expect(optionMarkdown(option, { scope: 'nixos', declarationLine: line })).toContain(`[modules/sops](file://${SOPS}/default.nix#L${declaring})`);
    // Found once, remembered.
    optionMarkdown(option, { scope: 'nixos', declarationLine: line });
    expect(reads).toBe(1);
  });
});

describe('store files out of sight', () => {
  it('are read through Nix once, only when they are store files not on disk', async () => {
    const calls: string[][] = [];
    const store = new StoreFiles({
      nix: () => 'nix',
      env: () => ({}),
      runProcess: (_program, args) => {
        calls.push([...args]);
        const path = args.at(-1)!;
        return Promise.resolve({ code: path.endsWith('default.nix') ? 0 : 1, signal: null, cancelled: false, timedOut: false, stdout: path.endsWith('default.nix') ? SOPS_MODULE : '', stderr: '' });
      },
    });
    const file = `${SOPS}/default.nix`;
    expect(store.read(file)).toBeUndefined();
    await store.fetch([file, file, `${SOPS}/missing.nix`, '/etc/passwd', `${SOPS}/../../x/etc`]);
    expect(calls).toEqual([
      ['--extra-experimental-features', 'nix-command', 'store', 'cat', file],
      ['--extra-experimental-features', 'nix-command', 'store', 'cat', `${SOPS}/missing.nix`],
    ]);
    expect(store.read(file)).toBe(SOPS_MODULE);
    expect(store.read(`${SOPS}/missing.nix`)).toBeUndefined();
    await store.fetch([file, `${SOPS}/missing.nix`]);
    expect(calls).toHaveLength(2);
  });
});
