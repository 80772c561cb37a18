import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addModuleCommand,
  addPackageCommand,
  checkCommand,
  NurCommandError,
  pathFromUri,
  registrationCommand,
  scaffoldCommand,
  type NurCommandContext,
} from '../../../server/src/features/nur/nurCommands';
import { runProcess } from '../../../server/src/nix/process';
import { nixParser } from '../../support/parse';

let base: string;
let context: NurCommandContext;

beforeEach(async () => {
  base = mkdtempSync(join(tmpdir(), 'nur-commands-'));
  context = { run: runProcess, clock: () => new Date('2026-11-22T00:00:00Z'), parser: await nixParser(), writeScope: { folders: [base], trusted: true } };
});
afterEach(() => {
  rmSync(base, { recursive: true, force: true });
});

const uri = (path: string) => pathToFileURL(path).href;

describe('NUR commands', () => {
  it('scaffold takes a file URI (also as the arguments array) and answers with URIs', async () => {
    const directory = join(base, 'with space');
    const result = await scaffoldCommand([{ directory: uri(directory), name: 'someone' }], context);
    expect(result.directory).toBe(uri(directory));
    expect(result.files).toContain(uri(join(directory, 'default.nix')));
    expect(result.files).toContain(uri(join(directory, '.github', 'workflows', 'build.yml')));
    expect(result.git).toBeUndefined();
    expect(existsSync(join(directory, 'pkgs', 'greeting', 'src', 'greeting.sh'))).toBe(true);
  });

  it('scaffold never writes into a directory that has files', async () => {
    writeFileSync(join(base, 'notes.txt'), 'mine');
    await expect(scaffoldCommand({ directory: uri(base), name: 'someone' }, context)).rejects.toThrow(/is not empty \(notes.txt\)/);
    expect(readFileSync(join(base, 'notes.txt'), 'utf8')).toBe('mine');
    expect(existsSync(join(base, 'default.nix'))).toBe(false);
    await expect(scaffoldCommand({ directory: uri(join(base, 'x')), name: 'Bad Name' }, context)).rejects.toBeInstanceOf(NurCommandError);
  });

  it('add package and add module report created files, edits and what to build', async () => {
    const root = join(base, 'repo');
    await scaffoldCommand({ directory: uri(root), name: 'someone' }, context);
    const added = await addPackageCommand({ repo: uri(root), name: 'tool', builder: 'buildGoModule', source: 'someone/tool@v1.0.0' }, context);
    expect(added.created).toEqual([uri(join(root, 'pkgs', 'tool', 'default.nix'))]);
    expect(added.edited).toEqual([{ uri: uri(join(root, 'default.nix')), written: true }]);
    expect(added.pendingEdit).toBeUndefined();
    expect(added.installable).toEqual({ file: 'default.nix', attr: 'tool' });
    await expect(addPackageCommand({ repo: uri(root), name: 'tool' }, context)).rejects.toThrow(/already has an attribute 'tool'/);

    const module = await addModuleCommand({ repo: uri(root), name: 'tool' }, { ...context, openDocumentText: (path) => (path.endsWith('nixos-modules/default.nix') ? readFileSync(path, 'utf8') : undefined) });
    expect(module.created).toEqual([uri(join(root, 'nixos-modules', 'tool.nix'))]);
    expect(module.edited).toEqual([{ uri: uri(join(root, 'nixos-modules', 'default.nix')), written: false }]);
    expect(Object.keys(module.pendingEdit!.changes!)).toEqual([uri(join(root, 'nixos-modules', 'default.nix'))]);
    expect(readFileSync(join(root, 'nixos-modules', 'default.nix'), 'utf8')).not.toContain('tool');
  });

  it('check refuses to run without Nix, and registration works without a NUR index', async () => {
    const root = join(base, 'repo');
    await scaffoldCommand({ directory: uri(root), name: 'someone' }, context);
    await expect(checkCommand({ repo: uri(root) }, context)).rejects.toThrow(/Nix was not found/);
    const registration = await registrationCommand({ repo: uri(root) }, context);
    expect(registration.name).toBe('someone');
    expect(registration.availability).toBe('available');
  });

  it('refuses arguments that are not file URIs', () => {
    expect(() => pathFromUri('https://example.org/x', 'repo')).toThrow(/must be a file: URI/);
    expect(() => pathFromUri('/plain/path', 'repo')).toThrow(/not a URI/);
    expect(() => pathFromUri(42, 'repo')).toThrow(/must be a file URI/);
    expect(pathFromUri('file:///tmp/a%20b/../c', 'repo')).toBe('/tmp/c');
  });
});
